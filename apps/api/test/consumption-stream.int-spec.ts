import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { uniqueName, waitFor } from '../../../tools/testing';
import { issueKey, TestKey } from './auth-helpers';
import { backlogOf, Leased, publishClicks } from './consumption-helpers';
import { httpWorker, RoundRobinProxy } from './consumption-proxy';
import { createTestStream, startApiWith } from './streams-helpers';

const SHARED = { CONSUME_LEASE_TOKEN_SECRET: 'stream-consumption-test-secret-0123456789ab' };

/** Opens a stream and hands each chunk of lines to `take` until `signal` aborts; NDJSON parsed by hand. */
async function readStream(
  url: string,
  key: string,
  body: object,
  signal: AbortSignal,
  take: (messages: Leased[]) => Promise<void>,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/x-ndjson');
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop() ?? '';
      const messages = lines.filter((line) => line.length > 0).map((line) => JSON.parse(line) as Leased);
      if (messages.length > 0) await take(messages);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** Streaming HTTP consumption (issue 13): NDJSON leases with credit, acks in batches through any instance. */
describe('Streaming HTTP consumption through two API instances, on the real stack', () => {
  let apps: INestApplication[];
  let proxy: RoundRobinProxy;
  let proxyUrl: string;
  let operator: TestKey;
  let consumerKey: TestKey;
  let stream: string;
  let topic: string;
  let subscription: string;

  beforeAll(async () => {
    apps = [await startApiWith(SHARED), await startApiWith(SHARED)];
    for (const app of apps) await app.listen(0, '127.0.0.1');
    const ports = apps.map((app) => (app.getHttpServer().address() as AddressInfo).port);
    proxy = new RoundRobinProxy(() => ports);
    proxyUrl = await proxy.listen();
    operator = await issueKey(apps[0], 'admin');
    consumerKey = await issueKey(apps[0], 'consumer', { kind: 'prefix', prefix: 'it-stream-' });
  });
  afterAll(async () => {
    await proxy?.close();
    for (const app of apps ?? []) await app.close();
  });
  beforeEach(async () => {
    ({ name: stream, topic } = await createTestStream(apps[0], operator, { partitions: 2 }));
    subscription = uniqueName('streamed');
  });

  it('two workers stream 300 events sent as arrays, never more than their credits unsettled, acks and nacks in batches on any instance: none lost, no ack undone', async () => {
    for (let request = 0; request < 3; request += 1)
      await publishClicks(apps[0], operator, stream, 100, request * 100);
    const credits = 20;
    const settle = httpWorker(proxyUrl, consumerKey.secret, stream, subscription);
    const url = `${proxyUrl}/v1/streams/${stream}/subscriptions/${subscription}/messages:stream`;
    const body = { credits, leaseMs: 5000, maxRedeliveries: 3, initialPosition: 'Earliest' };
    const acked = new Set<number>();
    const counts = { ackedThenRedelivered: 0, nacked: 0, expired: 0, redelivered: 0 };
    const done = new AbortController();
    const perWorker = [0, 0];
    let maxOutstanding = 0;

    // First delivery: nack %10==3, let %25==7 expire (its credit comes back at expiry); ack the rest.
    const worker = async (index: number): Promise<void> => {
      let outstanding = 0;
      await readStream(url, consumerKey.secret, body, done.signal, async (messages) => {
        outstanding += messages.length;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        perWorker[index] += messages.length;
        const ack: Leased[] = [];
        const nack: string[] = [];
        for (const message of messages) {
          const idx = message.payload.amount;
          if (acked.has(idx)) counts.ackedThenRedelivered += 1;
          if (message.redeliveryCount > 0) counts.redelivered += 1;
          if (message.redeliveryCount === 0 && idx % 10 === 3) nack.push(message.leaseToken);
          else if (message.redeliveryCount === 0 && idx % 25 === 7) counts.expired += 1;
          else ack.push(message);
        }
        outstanding -= messages.length - ack.length - nack.length; // left to expire: not counted as held
        if (nack.length > 0) expect(await settle.nack(nack)).toEqual(nack.map(() => 'nacked'));
        counts.nacked += nack.length;
        outstanding -= nack.length;
        if (ack.length > 0) {
          const results = await settle.ack(ack.map((message) => message.leaseToken));
          results.forEach((result, i) => result === 'acked' && acked.add(ack[i].payload.amount));
        }
        outstanding -= ack.length;
        if (acked.size === 300) done.abort();
      });
    };
    await Promise.all([worker(0), worker(1)]);

    process.stderr.write(`stream run: ${JSON.stringify({ ...counts, perWorker, maxOutstanding })}\n`);
    expect(acked.size).toBe(300);
    expect(counts.ackedThenRedelivered).toBe(0);
    expect(counts.nacked).toBe(30);
    expect(counts.expired).toBe(12);
    expect(counts.redelivered).toBeGreaterThanOrEqual(42);
    expect(maxOutstanding).toBeLessThanOrEqual(credits);
    expect(perWorker.every((received) => received > 0)).toBe(true);
    await waitFor(async () => (await backlogOf(topic, subscription)) === 0, {
      description: 'an empty backlog',
    });
  });

  it('refuses a stream without credits with a problem+json answer instead of a stream', async () => {
    const response = await fetch(
      `${proxyUrl}/v1/streams/${stream}/subscriptions/${subscription}/messages:stream`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${consumerKey.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ credits: 0 }),
      },
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
