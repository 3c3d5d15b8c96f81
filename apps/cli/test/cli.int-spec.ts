import type { INestApplication } from '@nestjs/common';
import { ReplayRunner } from '@gyre/replay';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from '../../api/test/auth-helpers';
import { admin, CLICK_SCHEMA, readStream, startApiWith, streamName } from '../../api/test/streams-helpers';
import { runCli, startCli } from './cli-process';

interface TailedEvent {
  messageId: string;
  key: string | null;
  payload: { user: string; amount: number };
  properties: Record<string, string>;
}

const clicks = (count: number, tag: string) =>
  Array.from({ length: count }, (_, i) => ({
    payload: { user: `ü-${tag}-${i} "✓"`, amount: i },
    key: `user-${i % 3}`,
    properties: { tag },
  }));

describe('the gyre CLI against the API on the real stack', () => {
  let app: INestApplication;
  let url: string;
  let operator: TestKey;
  let dir: string;
  const asAdmin = () => ({ url, key: operator.secret });
  const operatorHttp = () => clientAs(app, operator);

  async function createStream(partitions = 2, schema: object = CLICK_SCHEMA): Promise<string> {
    const name = streamName();
    await clientAs(app, operator)
      .post('/admin/streams')
      .send({ name, ownerTeam: 'ml', partitions, schema })
      .expect(201);
    return name;
  }

  function ndjsonFile(events: unknown[]): string {
    const file = join(dir, `${uniqueName('events')}.ndjson`);
    writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    return file;
  }

  beforeAll(async () => {
    app = await startApiWith({});
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    url = `http://127.0.0.1:${port}`;
    operator = await issueKey(app, 'admin');
    app.get(ReplayRunner).start();
    dir = mkdtempSync(join(tmpdir(), 'gyre-cli-'));
  });
  afterAll(async () => {
    await app?.get(ReplayRunner).stop();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes an NDJSON file in batches, and tail prints the same events as NDJSON and acks them', async () => {
    const stream = await createStream();
    const events = clicks(25, 'file');
    const published = await runCli(['publish', stream, ndjsonFile(events), '--batch', '10'], asAdmin());
    expect(published).toMatchObject({ code: 0, stderr: '' });
    expect(published.stdout).toMatch(new RegExp(`^published 25 events to ${stream} in 3 batches\\n`));
    expect(published.stdout).toMatch(/^message ids: first [\w-]+, last [\w-]+$/m);

    const consumer = await issueKey(app, 'consumer', { kind: 'streams', streams: [stream] });
    const tail = await runCli(['tail', stream, '--from', 'earliest', '--limit', '25'], {
      url,
      key: consumer.secret,
    });
    expect(tail.code).toBe(0);
    const tailed = tail.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TailedEvent);
    const sorted = <T>(list: T[]) => list.map((item) => JSON.stringify(item)).sort();
    expect(sorted(tailed.map(({ payload, key, properties }) => ({ payload, key, properties })))).toEqual(
      sorted(events),
    );
    // Per key, the order of the file is kept.
    for (const key of ['user-0', 'user-1', 'user-2'])
      expect(tailed.filter((e) => e.key === key).map((e) => e.payload.amount)).toEqual(
        events.filter((e) => e.key === key).map((e) => e.payload.amount),
      );
    expect(tail.stderr).toMatch(/25 events printed and acknowledged \(subscription gyre-tail-[0-9a-f]{8}\)/);
  });

  it('publishes nothing twice when the same file is published again, and takes a JSON array on stdin', async () => {
    const stream = await createStream();
    const file = ndjsonFile(clicks(12, 'again'));
    expect((await runCli(['publish', stream, file, '--batch', '5'], asAdmin())).code).toBe(0);
    const again = await runCli(['publish', stream, file, '--batch', '5'], asAdmin());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('3 of 3 batches had been published already (nothing sent again)');

    const piped = JSON.stringify(clicks(4, 'stdin'));
    expect((await runCli(['publish', stream, '-'], asAdmin(), piped)).stdout).toMatch(/^published 4 events/);
    expect((await runCli(['publish', stream, '-'], asAdmin(), piped)).stdout).toContain('1 of 1 batches');

    const stored = await readStream(`persistent://gyre/streams/${stream}`);
    expect(stored).toHaveLength(16);
  });

  it('publishes each payload as the bytes the file holds, from a JSON array, NDJSON and one event, and tail prints them so', async () => {
    // Ids beyond 2^53, exact decimals and spellings JSON.parse would normalise.
    const odd = [
      '{"id":9007199254740993,"big":12345678901234567890,"f":1.0,"e":1e2,"neg0":-0,"t":1.10}',
      '{ "t" : 1.10 ,\t"neg0": -0, "e":1E+2,  "id" :9007199254740993, "s":"\u00e9 ü" }',
      '{"list":[1.0, -0, 9007199254740993]}',
    ];
    const stream = await createStream(1, { type: 'object' });
    const files = {
      array: `[\n  {"key":"a","payload":${odd[0]}} ,\n  {"payload":${odd[1]}},{"payload":${odd[2]}}\n]\n`,
      ndjson: odd.map((payload) => `{"payload": ${payload}}`).join('\r\n'),
      event: `{\n  "payload": ${odd[0]},\n  "key": "one"\n}\n`,
    };
    for (const [shape, content] of Object.entries(files)) {
      const file = join(dir, `${uniqueName(shape)}.json`);
      writeFileSync(file, content);
      const published = await runCli(['publish', stream, file, '--batch', '2'], asAdmin());
      expect(published).toMatchObject({ code: 0, stderr: '' });
    }

    const sent = [...odd, ...odd, odd[0]];
    const stored = await readStream(`persistent://gyre/streams/${stream}`);
    expect(stored.map((message) => message.bytes)).toEqual(sent.map((payload) => Buffer.from(payload)));
    // tail prints them as stored too (one partition: in order).
    const tail = await runCli(['tail', stream, '--from', 'earliest', '--limit', `${sent.length}`], asAdmin());
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trim().split('\n');
    expect(lines.map((line, index) => line.endsWith(`"payload":${sent[index]}}`))).toEqual(
      sent.map(() => true),
    );
  });

  it('refuses a file with a bad line before publishing anything, with the usage of publish', async () => {
    const stream = await createStream(1);
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, '{"payload":{"user":"a","amount":1}}\n{"payload":\n');
    const refused = await runCli(['publish', stream, file], asAdmin());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^gyre: .*bad\.ndjson line 2 is not JSON/);
    expect(refused.stderr).toContain('usage: gyre publish <stream> <file|->');
    expect(await readStream(`persistent://gyre/streams/${stream}`)).toHaveLength(0);
  });

  it('starts a replay and watches it to completion with a progress line per update', async () => {
    const source = await createStream();
    expect((await runCli(['publish', source, ndjsonFile(clicks(30, 'replay'))], asAdmin())).code).toBe(0);
    const target = uniqueName('it-cli-replay-dst');

    const watched = await runCli(
      ['replay', 'start', source, '--to', target, '--watch', '--interval-ms', '200'],
      asAdmin(),
    );
    expect(watched.code).toBe(0);
    const lines = watched.stdout.trim().split('\n');
    for (const line of lines)
      expect(line).toMatch(/^replay [\w-]+ \[[#.]{20}\] +\d+% {2}(pending|running|completed) {2}/);
    expect(lines.at(-1)).toMatch(/\[#{20}\] 100% {2}completed {2}30 events {2}.* ETA 0s/);
    const id = lines[0].split(' ')[1];
    expect(watched.stderr).toContain(`replay ${id} completed: 30 events`);
    expect(await readStream(`persistent://gyre/streams/${target}`)).toHaveLength(30);

    const listed = await runCli(['replay', 'list', '--json'], asAdmin());
    expect(JSON.parse(listed.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, state: 'completed' })]),
    );

    // A finished job cannot be cancelled: the API's problem comes back as one line and exit code 1.
    const cancel = await runCli(['replay', 'cancel', id], asAdmin());
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toMatch(/^gyre: 409 replay-state-conflict: .+\n$/);
  });

  it("lists streams and shows a stream's ledgers and bytes in BookKeeper and in S3", async () => {
    const stream = await createStream(1);
    expect((await runCli(['publish', stream, ndjsonFile(clicks(5, 'cold'))], asAdmin())).code).toBe(0);
    await admin.unloadTopic(`persistent://gyre/streams/${stream}-partition-0`); // closes the ledger
    expect((await runCli(['publish', stream, ndjsonFile(clicks(2, 'hot'))], asAdmin())).code).toBe(0);
    await operatorHttp().post(`/admin/streams/${stream}/storage/offload`).expect(202);
    await waitFor(
      async () => {
        const { body } = await operatorHttp().get(`/admin/streams/${stream}/storage/offload`).expect(200);
        return body[0].status === 'SUCCESS';
      },
      { timeoutMs: 60_000, description: 'the offload to succeed' },
    );

    const listed = await runCli(['streams', 'list'], asAdmin());
    expect(listed.stdout).toMatch(new RegExp(`^${stream}\\s+1\\s+ml\\s+v1\\s`, 'm'));
    const tiers = await runCli(['streams', 'tiers', stream, '--ledgers'], asAdmin());
    expect(tiers.code).toBe(0);
    expect(tiers.stdout).toMatch(new RegExp(`^stream ${stream}: .+ in 2 ledgers$`, 'm'));
    expect(tiers.stdout).toMatch(/^S3 \(offloaded\)\s+1\s+\S+ \S+\s+\d+%$/m);
    expect(tiers.stdout).toMatch(
      /^bucket gyre-tiered: 2 objects, .+; offloaded ledgers without an object: none$/m,
    );
    expect(tiers.stdout).toMatch(/^\s+0\s+\d+\s+\d+\s+\d+\s+(S3|both \(deletion lag\))\s+\d+$/m);
    expect(tiers.stdout).toMatch(/^\s+0\s+\d+\s+\d+\s+\d+\s+BookKeeper \(open\)\s+-$/m);
  });

  it('prints one clear line and exits 1 for a bad key, a revoked key and a role that may not call', async () => {
    const bad = await runCli(['streams', 'list'], { url, key: `gyre_0123456789abcdef_${'A'.repeat(43)}` });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^gyre: 401 api-key-invalid: [^\n]+\n$/);
    expect(bad.stdout).toBe('');

    const name = uniqueName('it-cli-key');
    const created = await runCli(
      ['api-key', 'create', '--name', name, '--role', 'producer', '--prefix', 'it-'],
      asAdmin(),
    );
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^gyre_[0-9a-f]{16}_\S+$/);
    const id = secret.split('_')[1];
    expect(created.stderr).toContain(`created producer key ${id} (${name}, scope prefix it-)`);

    const forbidden = await runCli(['replay', 'list'], { url, key: secret });
    expect(forbidden).toMatchObject({ code: 1 });
    expect(forbidden.stderr).toMatch(/^gyre: 403 role-forbidden: [^\n]+\n$/);

    expect((await runCli(['api-key', 'list'], asAdmin())).stdout).toMatch(
      new RegExp(`^${id}\\s+${name}\\s+producer\\s+prefix it-`, 'm'),
    );
    expect(await runCli(['api-key', 'revoke', id], asAdmin())).toMatchObject({
      code: 0,
      stdout: `revoked ${id}\n`,
    });
    const revoked = await runCli(['streams', 'list'], { url, key: secret });
    expect(revoked.stderr).toMatch(/^gyre: 401 api-key-revoked: [^\n]+\n$/);
  });

  it('tails until Ctrl-C, then acknowledges what it printed and exits 0', async () => {
    const stream = await createStream(1);
    const subscription = uniqueName('cli-tail');
    const tail = startCli(['tail', stream, '-s', subscription, '--wait-ms', '1000'], asAdmin());
    await waitFor(() => tail.output().stderr.includes('tailing'), { description: 'tail to start' });
    // The subscription exists once the first pull returned; publish after that so "latest" sees the events.
    await waitFor(
      async () =>
        (await clientAs(app, operator).get(`/admin/streams/${stream}/subscriptions/${subscription}`)).ok,
      { description: 'the subscription to exist' },
    );
    expect((await runCli(['publish', stream, ndjsonFile(clicks(6, 'live'))], asAdmin())).code).toBe(0);
    await waitFor(() => tail.output().stdout.trim().split('\n').length === 6, {
      description: 'six events tailed',
    });

    tail.child.kill('SIGINT');
    const ended = await tail.done;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toContain(`6 events printed and acknowledged (subscription ${subscription})`);
    const backlog = await waitFor(
      async () => {
        const { body } = await clientAs(app, operator).get(
          `/admin/streams/${stream}/subscriptions/${subscription}`,
        );
        return body.backlog?.messages === 0 ? body.backlog : undefined;
      },
      { description: 'an empty backlog' },
    );
    expect(backlog.messages).toBe(0);
  });
});
