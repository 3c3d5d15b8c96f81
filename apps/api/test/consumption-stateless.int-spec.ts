import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import {
  AppProcess,
  freePort,
  killApp,
  startApp,
  uniqueName,
  waitFor,
  waitForApp,
} from '../../../tools/testing';
import { issueKey, TestKey } from './auth-helpers';
import { backlogOf, Leased, publishClicks } from './consumption-helpers';
import { httpWorker, RoundRobinProxy } from './consumption-proxy';
import { createTestStream, readStream, startApiWith } from './streams-helpers';

type Worker = ReturnType<typeof httpWorker>;

/** Every instance shares the token key: that is what lets any of them settle any lease. */
const SHARED = {
  CONSUME_LEASE_TOKEN_SECRET: 'stateless-consumption-test-secret-0123456789',
  INGEST_SEND_TIMEOUT_MS: '3000',
};

/**
 * Stateless API instances (issue 12): two in-process apps and one API process behind a round-robin front
 * without session affinity; a worker's pull, acks, nacks and extensions land on any of them.
 */
describe('HTTP consumption through three API instances without session affinity, on the real stack', () => {
  let apps: INestApplication[];
  let third: AppProcess;
  let ports: number[];
  let alive: Set<number>;
  let proxy: RoundRobinProxy;
  let proxyUrl: string;
  let operator: TestKey;
  let consumerKey: TestKey;
  let stream: string;
  let topic: string;
  let subscription: string;

  const direct = (port: number): Worker =>
    httpWorker(`http://127.0.0.1:${port}`, consumerKey.secret, stream, subscription);
  const balanced = (): Worker => httpWorker(proxyUrl, consumerKey.secret, stream, subscription);

  beforeAll(async () => {
    apps = [await startApiWith(SHARED), await startApiWith(SHARED)];
    for (const app of apps) await app.listen(0, '127.0.0.1');
    const thirdPort = await freePort();
    third = startApp('apps/api/src/main.ts', {
      ...SHARED,
      API_PORT: String(thirdPort),
      WORKERS_PORT: String(await freePort()),
    });
    await waitForApp(third, `http://127.0.0.1:${thirdPort}/health`, 120_000);
    ports = [...apps.map((app) => (app.getHttpServer().address() as AddressInfo).port), thirdPort];
    alive = new Set(ports);
    proxy = new RoundRobinProxy(() => ports.filter((port) => alive.has(port)));
    proxyUrl = await proxy.listen();
    operator = await issueKey(apps[0], 'admin');
    consumerKey = await issueKey(apps[0], 'consumer', { kind: 'prefix', prefix: 'it-stream-' });
  });
  afterAll(async () => {
    await killApp(third);
    await proxy?.close();
    for (const app of apps ?? []) await app.close();
  });
  beforeEach(async () => {
    ({ name: stream, topic } = await createTestStream(apps[0], operator, { partitions: 2 }));
    subscription = uniqueName('stateless');
  });

  async function pullAtLeast(worker: Worker, count: number, body: object): Promise<Leased[]> {
    const leased: Leased[] = [];
    await waitFor(
      async () => {
        leased.push(...(await worker.pull<Leased>({ max: 100, waitMs: 1000, ...body })));
        return leased.length >= count;
      },
      { timeoutMs: 60_000, description: `${count} leased messages` },
    );
    return leased;
  }

  it('settles on any instance what another leased: acked, nacked, extended then acked, each through the holder', async () => {
    await publishClicks(apps[0], operator, stream, 3);
    const [holder, second, other] = ports.map(direct);
    const leased = await pullAtLeast(holder, 3, { leaseMs: 20_000 });
    const byAmount = new Map(leased.map((message) => [message.payload.amount, message.leaseToken]));

    expect(await second.ack([byAmount.get(0)!])).toEqual(['acked']);
    expect(await other.nack([byAmount.get(1)!])).toEqual(['nacked']);
    const extension = await second.extend([byAmount.get(2)!], 60_000);
    expect(extension.results.map((result) => result.result)).toEqual(['extended']);
    expect(await other.ack([extension.results[0].leaseToken!])).toEqual(['acked']);
    // A retried ack on yet another instance gets the holder's remembered answer.
    expect(await other.ack([byAmount.get(0)!])).toEqual(['acked']);

    // A redelivery waits in the prefetch of whichever instance the broker gave it to: pull round-robin.
    const [again] = await pullAtLeast(balanced(), 1, {});
    expect([again.payload.amount, again.redeliveryCount]).toEqual([1, 1]);
    expect(await holder.ack([again.leaseToken])).toEqual(['acked']);
    await waitFor(async () => (await backlogOf(topic, subscription)) === 0, {
      description: 'an empty backlog',
    });
  });

  it('refuses to extend a lease that ran out with lease-expired, extending nothing, and redelivers its message', async () => {
    await publishClicks(apps[0], operator, stream, 1);
    const [holder] = ports.map(direct);
    const [message] = await pullAtLeast(holder, 1, { leaseMs: 1000 });
    // Its lease runs out unsettled, so the message comes back (counted once).
    const [again] = await pullAtLeast(balanced(), 1, {});
    expect([again.payload.amount, again.redeliveryCount]).toEqual([0, 1]);

    const response = await fetch(
      `http://127.0.0.1:${ports[1]}/v1/streams/${stream}/subscriptions/${subscription}/messages:extend`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${consumerKey.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ leaseTokens: [message.leaseToken], leaseMs: 60_000 }),
      },
    );

    expect(response.status).toBe(410);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: expect.stringContaining('lease-expired'),
      errors: [{ pointer: '/leaseTokens/0' }],
    });
    expect(await holder.extend([again.leaseToken], 60_000)).toMatchObject({
      results: [{ result: 'extended' }],
    });
    expect(await holder.ack([again.leaseToken])).toEqual(['acked']);
  });

  it('two workers through the round-robin front, events as arrays, mixed ack/nack/expiry/extend: none lost, no ack undone, dead letters as for one instance', async () => {
    const total = 600;
    for (let request = 0; request < 6; request += 1)
      await publishClicks(apps[0], operator, stream, 100, request * 100);
    const settings = { max: 50, waitMs: 1000, leaseMs: 5000, maxRedeliveries: 1 };
    // First delivery: nack %10==3, let %20==7 expire, extend %10==5 before acking; %50==11 is nacked every
    // time and so dead-lettered after one redelivery; everything else, and every redelivery, is acked.
    const poison = (idx: number) => idx % 50 === 11;
    const acked = new Set<number>();
    const counts = { deliveries: 0, ackedThenRedelivered: 0, nacked: 0, expired: 0, extended: 0 };
    const secondDeliveries = new Map<number, number>();
    const work = async (worker: Worker): Promise<void> => {
      const deadline = Date.now() + 120_000;
      while (acked.size < total - total / 50 && Date.now() < deadline) {
        const leased = await worker.pull<Leased>(settings);
        counts.deliveries += leased.length;
        const ack: string[] = [];
        const ackAmounts: number[] = [];
        const toAck = (token: string, idx: number): void => {
          ack.push(token);
          ackAmounts.push(idx);
        };
        const nack: string[] = [];
        const extend: Leased[] = [];
        for (const message of leased) {
          const idx = message.payload.amount;
          if (acked.has(idx)) counts.ackedThenRedelivered += 1;
          if (message.redeliveryCount > 0) secondDeliveries.set(idx, message.redeliveryCount);
          if (poison(idx)) nack.push(message.leaseToken);
          else if (message.redeliveryCount > 0) toAck(message.leaseToken, idx);
          else if (idx % 10 === 3) nack.push(message.leaseToken);
          else if (idx % 20 === 7) counts.expired += 1;
          else if (idx % 10 === 5) extend.push(message);
          else toAck(message.leaseToken, idx);
        }
        counts.nacked += nack.length;
        if (nack.length > 0) await worker.nack(nack);
        if (extend.length > 0) {
          const { results } = await worker.extend(
            extend.map((message) => message.leaseToken),
            20_000,
          );
          results.forEach((result, i) => {
            if (result.result !== 'extended') return;
            counts.extended += 1;
            toAck(result.leaseToken!, extend[i].payload.amount);
          });
        }
        if (ack.length > 0)
          (await worker.ack(ack)).forEach((result, i) => result === 'acked' && acked.add(ackAmounts[i]));
      }
    };
    await Promise.all([work(balanced()), work(balanced())]);
    const poisoned = Array.from({ length: total }, (_, idx) => idx).filter(poison);
    // A message past maxRedeliveries is diverted when a pull receives it: pull on until all are diverted.
    let dead: number[] = [];
    await waitFor(
      async () => {
        counts.deliveries += (await balanced().pull<Leased>(settings)).length;
        dead = (await readStream(`${topic}-${subscription}-DLQ`).catch(() => [])).map(
          (letter) => JSON.parse(letter.data).amount,
        );
        return dead.length >= poisoned.length;
      },
      { timeoutMs: 60_000, description: 'the dead letters' },
    );

    process.stderr.write(
      `stateless run: ${JSON.stringify({ ...counts, acked: acked.size, dead: dead.length, served: [...proxy.served] })}\n`,
    );
    expect(acked.size).toBe(total - poisoned.length);
    expect(counts.ackedThenRedelivered).toBe(0);
    expect(dead.sort((a, b) => a - b)).toEqual(poisoned);
    expect(counts.extended).toBe(total / 10);
    // Nacked and expired events came back counted once by the broker, as with one instance.
    for (let idx = 0; idx < total; idx += 1)
      if (poison(idx) || idx % 10 === 3 || idx % 20 === 7)
        expect([idx, secondDeliveries.get(idx)]).toEqual([idx, 1]);
    for (const port of ports) expect(proxy.served.get(port)).toBeGreaterThan(0);
  });

  it('an instance killed mid-lease: the messages it leased return to the other instances within the lease', async () => {
    await publishClicks(apps[0], operator, stream, 50);
    const leased = await pullAtLeast(direct(ports[2]), 50, { leaseMs: 60_000 });
    const leaseEnds = Date.now() + 60_000;

    await killApp(third);
    alive.delete(ports[2]);

    const worker = balanced();
    const back = await pullAtLeast(worker, 50, { leaseMs: 30_000 });
    expect(Date.now()).toBeLessThan(leaseEnds);
    expect(back.map((message) => message.payload.amount).sort((a, b) => a - b)).toEqual(
      leased.map((message) => message.payload.amount).sort((a, b) => a - b),
    );
    // The dead instance's tokens settle nothing: their leases are gone with it.
    expect(await worker.ack([leased[0].leaseToken])).toEqual(['unknown']);
    expect(new Set(await worker.ack(back.map((message) => message.leaseToken)))).toEqual(new Set(['acked']));
    await waitFor(async () => (await backlogOf(topic, subscription)) === 0, {
      description: 'an empty backlog',
    });
  });
});
