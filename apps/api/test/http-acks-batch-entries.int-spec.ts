import type { INestApplication } from '@nestjs/common';
import { LETTER_PROPERTIES, MessageId } from '@gyre/pulsar';
import { uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { backlogOf, consumerOf, Leased, publishClicks } from './consumption-helpers';
import { createTestStream, readStream, startApiWith } from './streams-helpers';

type HttpConsumer = ReturnType<typeof consumerOf>;
const SENTINEL = -1;

/**
 * Events published as one JSON array share one Pulsar batch entry: an ack of one of them must stick when a
 * sibling is nacked or its lease expires (issue 10, item 2).
 */
describe('HTTP acks of events that share a batch entry, on the real stack', () => {
  let apps: INestApplication[];
  let operator: TestKey;
  let worker: TestKey;
  let stream: string;
  let topic: string;
  let subscription: string;

  beforeAll(async () => {
    // Two API processes' worth of consumers: each app holds its own Pulsar consumer of a subscription.
    apps = [await startApiWith({}), await startApiWith({})];
    operator = await issueKey(apps[0], 'admin');
    worker = await issueKey(apps[0], 'consumer', { kind: 'prefix', prefix: 'it-stream-' });
  });
  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
  });

  beforeEach(async () => {
    ({ name: stream, topic } = await createTestStream(apps[0], operator, { partitions: 2 }));
    subscription = uniqueName('acks');
  });

  /** Pulls until `count` messages are leased (one pull may return fewer). */
  async function pullAtLeast(consumer: HttpConsumer, count: number, body: object = {}): Promise<Leased[]> {
    const leased: Leased[] = [];
    await waitFor(
      async () => {
        leased.push(...(await consumer.pull({ waitMs: 2000, ...body })));
        return leased.length >= count;
      },
      { timeoutMs: 60_000, description: `${count} leased messages` },
    );
    return leased;
  }

  /** Publishes a sentinel and returns the amounts delivered before it: redeliveries come before new events. */
  async function deliveredBeforeSentinel(consumer: HttpConsumer, body: object = {}): Promise<number[]> {
    await clientAs(apps[0], operator)
      .post(`/v1/streams/${stream}/events`)
      .send({ payload: { user: 'sentinel', amount: SENTINEL } })
      .expect(202);
    const before: number[] = [];
    await waitFor(
      async () => {
        const leased = await consumer.pull({ waitMs: 2000, ...body });
        await consumer.ack(leased.map((message) => message.leaseToken));
        const amounts = leased.map((message) => message.payload.amount);
        before.push(...amounts.filter((amount) => amount !== SENTINEL));
        return amounts.includes(SENTINEL);
      },
      { timeoutMs: 60_000, description: 'the sentinel event' },
    );
    return before;
  }

  it('redelivers only the nacked event when 99 of 100 events of one request are acked', async () => {
    const consumer = consumerOf(apps[0], worker, stream, subscription);
    await publishClicks(apps[0], operator, stream, 100);
    const leased = await pullAtLeast(consumer, 100);
    const [failing] = leased.filter((message) => message.payload.amount === 42);
    // The producer's batch window may cut a request in two; event 42 shares its entry with many acked events.
    const entryOf = (message: Leased): string => MessageId.fromOpaqueString(message.messageId).entryKey();
    expect(leased.filter((message) => entryOf(message) === entryOf(failing)).length).toBeGreaterThan(1);

    const rest = leased.filter((message) => message !== failing);
    expect(await consumer.ack(rest.map((message) => message.leaseToken))).toEqual(Array(99).fill('acked'));
    expect(await consumer.nack([failing.leaseToken], 0)).toEqual(['nacked']);

    const [again] = await pullAtLeast(consumer, 1);
    expect([again.payload.amount, again.redeliveryCount]).toEqual([42, 1]);
    expect(await consumer.ack([again.leaseToken])).toEqual(['acked']);
    expect(await deliveredBeforeSentinel(consumer)).toEqual([]);
    await waitFor(async () => (await backlogOf(topic, subscription)) === 0, {
      description: 'an empty backlog',
    });
  });

  it('an API process closed with leases outstanding: its acked events stay acked, only the others come back', async () => {
    const closing = await startApiWith({});
    try {
      await publishClicks(apps[0], operator, stream, 100);
      const leased = await pullAtLeast(consumerOf(closing, worker, stream, subscription), 100);
      const acked = leased.filter((message) => message.payload.amount % 5 !== 0);
      expect(
        await consumerOf(closing, worker, stream, subscription).ack(acked.map((m) => m.leaseToken)),
      ).toEqual(Array(80).fill('acked'));
    } finally {
      await closing.close(); // hands its leased and prefetched events back to the broker
    }

    const consumer = consumerOf(apps[0], worker, stream, subscription);
    const again = await pullAtLeast(consumer, 20);
    expect(again.map((message) => message.payload.amount).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 5),
    );
    await consumer.ack(again.map((message) => message.leaseToken));
    expect(await deliveredBeforeSentinel(consumer)).toEqual([]);
  });

  it('dead-letters only the failing events of a request, and a redrive republishes each of them once', async () => {
    const consumer = consumerOf(apps[0], worker, stream, subscription);
    const settings = { maxRedeliveries: 1 };
    await publishClicks(apps[0], operator, stream, 100);
    const failing = (amount: number): boolean => amount % 10 === 3;
    const dlq = `${topic}-${subscription}-DLQ`;

    // Failing events are nacked on every delivery; after maxRedeliveries they are dead-lettered.
    const letters = await waitFor(
      async () => {
        const leased = await consumer.pull({ waitMs: 1000, ...settings });
        const nack = leased.filter((message) => failing(message.payload.amount));
        const ack = leased.filter((message) => !failing(message.payload.amount));
        if (ack.length > 0) await consumer.ack(ack.map((message) => message.leaseToken));
        if (nack.length > 0)
          await consumer.nack(
            nack.map((message) => message.leaseToken),
            0,
          );
        const read = await readStream(dlq).catch(() => []);
        return read.length >= 10 && read;
      },
      { timeoutMs: 60_000, description: 'ten dead letters' },
    );
    expect(await deliveredBeforeSentinel(consumer, settings)).toEqual([]);
    const dead = (await readStream(dlq)).map((letter) => JSON.parse(letter.data).amount as number);
    expect(dead.sort((a, b) => a - b)).toEqual([3, 13, 23, 33, 43, 53, 63, 73, 83, 93]);
    expect(letters).toHaveLength(10);

    const redrive = await clientAs(apps[0], operator)
      .post(`/admin/streams/${stream}/subscriptions/${subscription}/dead-letters/redrive`)
      .send({})
      .expect(200);
    expect(redrive.body.redriven).toHaveLength(10);

    const events = await readStream(topic);
    const redriven = events.filter((event) => event.properties['gyre-redriven-from'] !== undefined);
    expect(redriven.map((event) => JSON.parse(event.data).amount).sort((a, b) => a - b)).toEqual(dead);
    const originals = new Map(
      events
        .filter((event) => !redriven.includes(event))
        .map((event) => [JSON.parse(event.data).amount as number, event]),
    );
    const letterIds = new Set(
      redrive.body.redriven.map((step: { deadLetterId: string }) => step.deadLetterId),
    );
    for (const event of redriven) {
      const original = originals.get(JSON.parse(event.data).amount)!;
      // The event's own properties, plus where it was redriven from; none of the DLQ's bookkeeping.
      expect(event.properties).toEqual({
        ...original.properties,
        'gyre-redriven-from': event.properties['gyre-redriven-from'],
      });
      expect(letterIds.has(event.properties['gyre-redriven-from'])).toBe(true);
      for (const name of LETTER_PROPERTIES) expect(event.properties).not.toHaveProperty(name);
    }
  });

  it('two workers, 2,000 events in 8 requests, ~10 % nacked and ~5 % leases expired: no acked event comes back', async () => {
    // A lease long enough for a loaded machine to ack in time: only the leases left alone expire.
    const settings = { maxRedeliveries: 1, leaseMs: 5000, max: 100 };
    const workers = apps.map((app) => consumerOf(app, worker, stream, subscription));
    for (let request = 0; request < 8; request += 1)
      await publishClicks(apps[0], operator, stream, 250, request * 250);

    const acked = new Set<number>();
    const counts = { deliveries: 0, ackedThenRedelivered: 0, nacked: 0, expired: 0 };
    const perWorker = workers.map(() => 0);
    // First delivery: nack idx%10==3, leave the lease of idx%20==7 to expire; ack everything else and
    // every redelivery (so with maxRedeliveries 1 nothing may reach the DLQ).
    const deadline = Date.now() + 150_000; // inside the integration timeout, so the counts get reported
    const work = async (consumer: HttpConsumer, index: number): Promise<void> => {
      while (acked.size < 2000 && Date.now() < deadline) {
        const leased = await consumer.pull({ waitMs: 1000, ...settings });
        counts.deliveries += leased.length;
        perWorker[index] += leased.length;
        const ack: Leased[] = [];
        const nack: Leased[] = [];
        for (const message of leased) {
          const idx = message.payload.amount;
          if (acked.has(idx)) counts.ackedThenRedelivered += 1;
          if (message.redeliveryCount > 0) ack.push(message);
          else if (idx % 10 === 3) nack.push(message);
          else if (idx % 20 === 7) counts.expired += 1;
          else ack.push(message);
        }
        counts.nacked += nack.length;
        if (nack.length > 0)
          await consumer.nack(
            nack.map((message) => message.leaseToken),
            0,
          );
        if (ack.length > 0) {
          const results = await consumer.ack(ack.map((message) => message.leaseToken));
          results.forEach((result, i) => result === 'acked' && acked.add(ack[i].payload.amount));
        }
      }
    };
    await Promise.all(workers.map((consumer, index) => work(consumer, index)));

    const dead = await readStream(`${topic}-${subscription}-DLQ`).catch(() => []);
    const ackedInDlq = dead.filter((letter) => acked.has(JSON.parse(letter.data).amount)).length;
    // The counts of this run, for the record (issue 10 asks for them).
    process.stderr.write(
      `two-worker run: ${JSON.stringify({ ...counts, perWorker, acked: acked.size, dead: dead.length, ackedInDlq })}\n`,
    );
    expect(acked.size).toBe(2000);
    expect(counts.nacked).toBe(200);
    expect(counts.expired).toBe(100);
    expect(counts.ackedThenRedelivered).toBe(0);
    expect(ackedInDlq).toBe(0);
    expect(dead).toHaveLength(0);
    // 2,000 first deliveries and one redelivery per nacked or expired event, unless a loaded machine let
    // a lease run out before its ack (that event then comes back unacked, which is allowed).
    expect(counts.deliveries).toBeGreaterThanOrEqual(2300);
  });
});
