import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from '@gyre/pulsar';
import { WorkerStatusStore } from '@gyre/pipelines';
import { ReplayRunner } from '@gyre/replay';
import type { Browser, Page } from 'playwright-core';
import {
  consoleScreenshot,
  consoleSignedIn,
  launchBrowser,
  uniqueName,
  waitFor,
} from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from '../../api/test/auth-helpers';
import {
  admin,
  CLICK_SCHEMA,
  endpoints,
  readStream,
  startApiWith,
  streamName,
} from '../../api/test/streams-helpers';

import { formatBytes } from '../src/format';

const DIST = join(__dirname, '..', 'dist', 'index.html');
// The screenshots in docs/console.md are refreshed on request only (CONSOLE_SCREENSHOTS=1).
const screenshot = consoleScreenshot;

/**
 * The operator console in a real headless Chromium, served by the API at /console against the real stack.
 * One browser for the file; each test its own context (its own session storage).
 */
describe('the operator console in a browser', () => {
  let app: INestApplication;
  let browser: Browser;
  let base: string;
  let operator: TestKey;
  let consumer: TestKey;
  let pulsar: Client;
  const streams: string[] = [];
  const cspViolations: string[] = [];
  const http = () => clientAs(app, operator);

  beforeAll(async () => {
    if (!existsSync(DIST))
      throw new Error('the console is not built: run npm run setup (or npm run build:console)');
    app = await startApiWith({});
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    operator = await issueKey(app, 'admin');
    consumer = await issueKey(app, 'consumer');
    browser = await launchBrowser();
    pulsar = new Client({ serviceUrl: endpoints.pulsarServiceUrl, operationTimeoutSeconds: 30 });
  });
  afterAll(async () => {
    for (const stream of streams) await http().delete(`/admin/streams/${stream}?confirm=${stream}`);
    await pulsar?.close();
    await browser?.close();
    await app?.close();
  });
  afterEach(() => {
    // Every page of every test: the Content-Security-Policy never had to block anything.
    expect(cspViolations).toEqual([]);
  });

  const signedIn = (key: TestKey, width = 1280): Promise<Page> =>
    consoleSignedIn(browser, base, key.secret, { width, cspViolations });

  async function createStream(subscription: string, partitions = 2): Promise<string> {
    const stream = streamName();
    streams.push(stream);
    await http()
      .post('/admin/streams')
      .send({ name: stream, ownerTeam: 'ops', partitions, schema: CLICK_SCHEMA })
      .expect(201);
    await http()
      .post(`/admin/streams/${stream}/subscriptions`)
      .send({ name: subscription, at: 'earliest' })
      .expect(201);
    return stream;
  }

  const text = (page: Page, selector: string) =>
    page.locator(selector).first().textContent({ timeout: 1000 });
  /** Waits until the element's text is `expected`; on timeout, says what the page showed instead. */
  const showsText = (page: Page, selector: string, expected: string) =>
    waitFor(
      async () => {
        const shown = await text(page, selector);
        if (shown === expected) return true;
        const status = await page.locator('.status').textContent({ timeout: 1000 });
        throw new Error(
          `${selector} shows ${JSON.stringify(shown)} (status line: ${JSON.stringify(status)})`,
        );
      },
      { description: `${selector} to show ${expected}` },
    );

  it('serves the console with a Content-Security-Policy that allows no inline script', async () => {
    const response = await fetch(`${base}/console/`);

    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(await response.text()).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('refuses a wrong key, signs in with a good one, and keeps the key out of the URL', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('API key').fill('gyre_nobody_0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitFor(
      async () => /Sign-in refused: 401/.test((await page.getByRole('alert').textContent()) ?? ''),
      {
        description: 'the refusal',
      },
    );

    await page.getByLabel('API key').fill(operator.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.locator('[data-role="admin"]').waitFor();
    expect(page.url()).not.toContain(operator.secret);
    expect(await page.evaluate("sessionStorage.getItem('gyre.console.apiKey')")).toBe(operator.secret);
    await page.locator('[data-service="pulsar"]').waitFor();
    await context.close();
  });

  it('shows a stream created through the API, and its rate and backlog move as events are published', async () => {
    const page = await signedIn(operator);
    await page.goto(`${base}/console/#/streams`);
    const stream = await createStream('console-watch');

    await page.getByRole('link', { name: stream }).click();
    await page.locator('[data-backlog="console-watch"]').waitFor();
    await http()
      .post(`/v1/streams/${stream}/events`)
      .send([1, 2, 3, 4, 5].map((amount) => ({ key: `u${amount}`, payload: { user: `u${amount}`, amount } })))
      .expect(202);

    await showsText(page, '[data-backlog="console-watch"]', '5');
    await waitFor(async () => Number(await text(page, '[data-plot="Rate in"] li span')) > 0, {
      description: 'a rate in above 0 in the plot',
    });
    expect(
      Number(await page.locator('[data-plot="Backlog per subscription"]').getAttribute('data-points')),
    ).toBeGreaterThan(1);
    await screenshot(page, 'stream.png');
    await page.context().close();
  });

  it('redrives a selected dead letter from the page, and it arrives on the stream', async () => {
    const stream = await createStream('scorer');
    const producer = await pulsar.createProducer({
      topic: `persistent://gyre/streams/${stream}-scorer-DLQ`,
      batchingEnabled: false,
    });
    await producer.send({
      data: Buffer.from(JSON.stringify({ user: 'u-dead', amount: 13 })),
      partitionKey: 'u-dead',
      properties: {
        'gyre-failure-code': 'HANDLER_FAILED',
        'gyre-failure-reason': 'amount out of range',
        'gyre-attempts': '3',
      },
    });
    await producer.close();
    const page = await signedIn(operator);

    await page.goto(`${base}/console/#/dead-letters/${stream}/scorer`);
    await page.getByText('amount out of range').waitFor();
    await screenshot(page, 'dead-letters.png');
    await page.locator('input[data-letter]').check();
    await page.getByRole('button', { name: 'Redrive selected' }).click();

    await page
      .getByRole('status')
      .getByText(/Redrove 1 letter/)
      .waitFor();
    const arrived = await waitFor(async () => {
      const messages = await readStream(`persistent://gyre/streams/${stream}`);
      return messages.length === 1 && messages;
    });
    expect(JSON.parse(arrived[0].data)).toEqual({ user: 'u-dead', amount: 13 });
    await page.getByText('No pending dead letter.').waitFor();
    await page.context().close();
  });

  it('starts a replay from the page and watches its progress bar reach 100 %', async () => {
    const stream = await createStream('replay-watch');
    const target = `${stream}-copy`;
    streams.push(target);
    await http()
      .post(`/v1/streams/${stream}/events`)
      .send(
        [1, 2, 3, 4, 5, 6].map((amount) => ({ key: `u${amount}`, payload: { user: `u${amount}`, amount } })),
      )
      .expect(202);
    const page = await signedIn(operator);
    await page.goto(`${base}/console/#/replays`);
    // The workers run replays; here the API process's own runner does, for this test only.
    app.get(ReplayRunner).start();
    try {
      await page.getByLabel('Source stream').fill(stream);
      await page.getByLabel('Target stream').fill(target);
      await page.getByRole('button', { name: 'Start replay' }).click();
      const started = await page
        .locator('.status')
        .getByText(/Replay \S+ started/)
        .textContent();
      const id = /Replay (\S+) started/.exec(started ?? '')![1];

      await showsText(page, `[data-percent="${id}"]`, '100 %');
      expect(await page.locator(`progress[data-job="${id}"]`).getAttribute('value')).toBe('100');
      expect(await text(page, `[data-state="${id}"]`)).toBe('completed');
      await screenshot(page, 'replays.png');
    } finally {
      await app.get(ReplayRunner).stop();
      await page.context().close();
    }
  });

  it("skips, clears and resets a subscription's cursor from the page, each behind its dialog, the last by keyboard", async () => {
    const stream = await createStream('console-cursor');
    const before = new Date().toISOString();
    // One key: every event on one partition, the one the skip names; one request each, so one entry each
    // (Pulsar skips entries, and a batch is one).
    for (const amount of [1, 2, 3, 4])
      await http()
        .post(`/v1/streams/${stream}/events`)
        .send({ key: 'u-cursor', payload: { user: 'u-cursor', amount } })
        .expect(202);
    const [view] = (await http().get(`/admin/streams/${stream}/subscriptions`).expect(200)).body;
    const partition = view.partitions.find((row: { entries: number }) => row.entries > 0).partition;
    const page = await signedIn(operator);
    await page.goto(`${base}/console/#/streams/${stream}`);
    await showsText(page, '[data-backlog="console-cursor"]', '4');
    const dialog = page.getByRole('dialog');

    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await dialog.getByLabel('Entries to skip').fill('1');
    await dialog.getByLabel('Partition').fill(String(partition));
    await dialog.getByRole('button', { name: 'Skip entries of console-cursor' }).click();
    await showsText(page, '[data-backlog="console-cursor"]', '3');

    await page.getByRole('button', { name: 'Clear backlog' }).click();
    await dialog.getByLabel('Confirmation').fill('console-cursor');
    await dialog.getByRole('button', { name: 'Clear the backlog of console-cursor' }).click();
    await showsText(page, '[data-backlog="console-cursor"]', '0');

    // By keyboard this time: the button keeps its focus across the table's refreshes, Enter submits.
    await page.getByRole('button', { name: 'Reset cursor' }).focus();
    await page.keyboard.press('Enter');
    await dialog.getByLabel('Reset to').selectOption('timestamp');
    await dialog.getByLabel('Time or message id').fill(before);
    await page.keyboard.press('Enter');
    await showsText(page, '[data-backlog="console-cursor"]', '4');
    await page.context().close();
  });

  it('gives focus back to the button that opened a dialog once it closes, though a refresh replaced that button', async () => {
    const stream = await createStream('console-focus');
    const page = await signedIn(operator);
    await page.goto(`${base}/console/#/streams/${stream}`);
    const opener = '[data-focus-key="skip:console-focus"]';
    await page.locator(opener).waitFor();
    // Marked, so the test can tell the button that opened the dialog from the one a refresh draws instead.
    await page.locator(opener).evaluate((button) => button.setAttribute('data-opened-dialog', ''));

    await page.locator(opener).click();
    await page.getByRole('dialog').waitFor();
    // Evaluated in the page (a string: the test's TypeScript has no DOM types).
    const inPage = (expression: string) =>
      page.evaluate(expression.replaceAll('$opener', JSON.stringify(opener)));
    await waitFor(
      async () => !(await inPage(`document.querySelector($opener).hasAttribute('data-opened-dialog')`)),
      {
        description: 'a refresh of the subscriptions to replace the Skip button',
      },
    );
    await page.keyboard.press('Escape');

    await waitFor(
      async () => (await inPage('document.activeElement === document.querySelector($opener)')) === true,
      {
        description: 'focus back on the new Skip button',
      },
    );
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.context().close();
  });

  it("shows the stream's newest events and a subscription's next, lists schema versions and checks a proposed schema, changing nothing", async () => {
    const stream = await createStream('console-peek');
    await http()
      .post(`/v1/streams/${stream}/events`)
      .send([7, 8].map((amount) => ({ key: 'u-peek', payload: { user: 'u-peek', amount } })))
      .expect(202);
    // 800 px wide, with every admin section drawn.
    const page = await signedIn(operator, 800);
    await page.goto(`${base}/console/#/streams/${stream}`);
    await showsText(page, '[data-backlog="console-peek"]', '2');

    const peeked = async (title: string) => {
      await showsText(page, '#peek-title', title);
      await waitFor(async () => (await page.locator('[data-peeked]').count()) === 2, {
        description: `two events under ${title}`,
      });
      return (await page.locator('[data-peeked]').allTextContents()).map((payload) => JSON.parse(payload));
    };
    // The stream's newest first, with no subscription involved; then the subscription's next, oldest first.
    expect(await peeked('Newest events')).toEqual([
      { user: 'u-peek', amount: 8 },
      { user: 'u-peek', amount: 7 },
    ]);
    await page.getByRole('button', { name: 'Peek' }).click();
    expect(await peeked('Next events of console-peek')).toEqual([
      { user: 'u-peek', amount: 7 },
      { user: 'u-peek', amount: 8 },
    ]);
    await page.locator('[data-schema-version="1"]').waitFor();
    const narrowed = {
      ...CLICK_SCHEMA,
      properties: { ...CLICK_SCHEMA.properties, amount: { type: 'integer' } },
    };
    await page.getByLabel('Proposed JSON Schema').fill(JSON.stringify(narrowed));
    await page.getByRole('button', { name: 'Check compatibility' }).click();
    await showsText(
      page,
      '[data-compatible]',
      'Not backward compatible with v1: a change would be refused (409).',
    );
    expect(await page.locator('.problems li').allTextContents()).toEqual([
      '/schema/properties/amount type narrowed from number to integer',
    ]);
    const widened = {
      ...CLICK_SCHEMA,
      properties: { ...CLICK_SCHEMA.properties, country: { type: 'string' } },
    };
    await page.getByLabel('Proposed JSON Schema').fill(JSON.stringify(widened));
    await page.getByRole('button', { name: 'Check compatibility' }).click();
    await showsText(page, '[data-compatible]', 'Backward compatible with v1: it can be added as v2.');
    expect((await http().get(`/admin/streams/${stream}`).expect(200)).body.schemaVersion).toBe(1);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
    // The peek consumed nothing.
    expect(
      (await http().get(`/admin/streams/${stream}/subscriptions`).expect(200)).body[0].backlog.messages,
    ).toBe(2);
    await page.context().close();
  });

  it("sets a stream's retention and offloads its closed ledgers to S3 from the page", async () => {
    const stream = await createStream('console-tiers', 1);
    await http()
      .post(`/v1/streams/${stream}/events`)
      .send({ payload: { user: 'u1', amount: 1 } })
      .expect(202);
    // Unloading closes the ledger: the next write opens a new one, and the closed one can be offloaded.
    await admin.unloadTopic(`persistent://gyre/streams/${stream}-partition-0`);
    await http()
      .post(`/v1/streams/${stream}/events`)
      .send({ payload: { user: 'u2', amount: 2 } })
      .expect(202);
    const page = await signedIn(operator);
    await page.goto(`${base}/console/#/streams/${stream}`);
    await showsText(page, '[data-retention]', "The namespace's retention (the stream sets none).");
    const dialog = page.getByRole('dialog');

    await page.getByRole('button', { name: 'Set retention' }).click();
    await dialog.getByLabel('Minutes (-1: no limit)').fill('120');
    await dialog.getByLabel('Size in MB (-1: no limit)').fill('50');
    await dialog.getByRole('button', { name: `Set the retention of ${stream}` }).click();
    await showsText(page, '[data-retention]', 'Kept for 120 minutes and up to 50 MB.');
    await page.getByRole('button', { name: 'Offload now' }).click();
    await waitFor(
      async () => {
        const status = await text(page, '[data-offload="0"]');
        if (status === 'ERROR') throw new Error('the offload failed');
        return status === 'SUCCESS';
      },
      { timeoutMs: 60_000, description: 'the offload to succeed on the page' },
    );

    expect(
      (await http().get(`/admin/streams/${stream}/storage/policies`).expect(200)).body.retention,
    ).toEqual({
      minutes: 120,
      sizeMb: 50,
    });
    await waitFor(
      async () =>
        (await http().get(`/admin/streams/${stream}/storage`).expect(200)).body.offloaded.ledgers >= 1,
      { description: 'the offloaded ledger in the storage report' },
    );

    // The overview shows the same tiers for every stream, from the ledgers' flags (no bucket listing).
    await page.goto(`${base}/console/#/overview`);
    await waitFor(async () => (await text(page, `[data-tier-s3="${stream}"]`)) !== '0 B', {
      description: 'the offloaded bytes on the overview',
    });
    const tiers = (await http().get(`/v1/streams/${stream}/tiers`).expect(200)).body;
    expect(tiers.s3.ledgers).toBeGreaterThanOrEqual(1);
    await showsText(page, `[data-tier-s3="${stream}"]`, formatBytes(tiers.s3.bytes));
    await showsText(page, `[data-tier-bookkeeper="${stream}"]`, formatBytes(tiers.bookKeeper.bytes));
    await screenshot(page, 'overview.png');
    await page.context().close();
  });

  it("shows a pipeline's stages, its workers' last reports and the throughput between two looks", async () => {
    const name = uniqueName('it-console-pipe');
    await http()
      .post('/admin/pipelines')
      .send({
        name,
        stages: [
          { name: 'copy', input: { stream: uniqueName('it-console-in') }, handler: 'it.copy', outputs: [] },
        ],
      })
      .expect(201);
    const worker = uniqueName('it-console-worker');
    const report = (processed: number) =>
      app.get(WorkerStatusStore).report({ id: worker, host: 'it-host', pid: 1, startedAt: new Date() }, [
        {
          pipeline: name,
          stage: 'copy',
          handler: 'it.copy',
          state: 'running',
          inFlight: 0,
          processed,
          retried: 0,
          deadLettered: 0,
        },
      ]);
    await report(10);
    const page = await signedIn(operator);
    try {
      await page.goto(`${base}/console/#/pipelines`);
      await page.getByRole('link', { name }).click();
      await showsText(page, '[data-processed="copy"]', '10');

      await report(70);
      await showsText(page, '[data-processed="copy"]', '70');
      // The look that saw 70 follows one that saw 10: a positive rate, whatever the seconds between (read
      // from the plot's series, which keeps it; the cell shows only the latest pair, 0 once 70 is seen twice).
      const rates = await page
        .locator('[data-plot="Throughput per stage"] [data-series="copy"]')
        .getAttribute('data-values');
      expect(
        rates
          ?.split(' ')
          .map(Number)
          .some((rate) => rate > 0),
      ).toBe(true);
      expect(await text(page, `[data-worker-state="${worker}"]`)).toBe('running');
      await screenshot(page, 'pipelines.png');
      await page.getByLabel('Event id').fill('tx-none');
      await page.getByRole('button', { name: 'Look up' }).click();
      // The plain API has no loop composed in: the look-up says so instead of failing silently.
      await page.getByRole('alert').getByText(/404/).waitFor();
    } finally {
      await app.get(WorkerStatusStore).remove(worker);
      await http().delete(`/admin/pipelines/${name}`).expect(204);
      await page.context().close();
    }
  });

  it('shows a consumer key no destructive button, and the API refuses the call anyway', async () => {
    const stream = await createStream('guarded');
    await http()
      .post(`/v1/streams/${stream}/events`)
      .send({ payload: { user: 'u1', amount: 1 } })
      .expect(202);
    const page = await signedIn(consumer, 800);

    await page.goto(`${base}/console/#/streams/${stream}`);
    await showsText(page, '[data-backlog="guarded"]', '1 entry');

    expect(await page.locator('button.danger').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Clear backlog' }).count()).toBe(0);
    // The same call a hand-made request would make, with the key the page holds: refused, nothing cleared.
    const path = `/admin/streams/${stream}/subscriptions/guarded/clear-backlog?confirm=guarded`;
    const refused = await page.evaluate(`(async () => {
      const key = sessionStorage.getItem('gyre.console.apiKey');
      const response = await fetch(${JSON.stringify(path)}, { method: 'POST', headers: { authorization: 'Bearer ' + key } });
      return { status: response.status, type: (await response.json()).type };
    })()`);
    expect(refused).toEqual({ status: 403, type: 'https://gyre.dev/problems/role-forbidden' });
    const [view] = (await http().get(`/admin/streams/${stream}/subscriptions`).expect(200)).body;
    expect(view.backlog.messages).toBe(1);
    // 800 px wide: the page fits without scrolling sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
    await screenshot(page, 'consumer-800px.png');
    await page.context().close();
  });

  it('says on the Epochs page that the running API has no feedback loop composed in', async () => {
    const page = await signedIn(operator);

    await page.goto(`${base}/console/#/epochs`);
    await page.getByLabel('Pipeline').fill('fraud-demo');
    await page.getByRole('button', { name: 'Show epochs' }).click();

    await page.getByText(/The running API has no feedback loop composed in/).waitFor();
    expect(page.url()).toMatch(/#\/epochs\/fraud-demo$/);
    await page.context().close();
  });
});
