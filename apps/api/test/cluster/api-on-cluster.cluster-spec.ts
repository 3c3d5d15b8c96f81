import type { INestApplication } from '@nestjs/common';
import { waitFor } from '../../../../tools/testing';
import {
  ClusterBrokers,
  ownerOf,
  reportClusterCounts,
  transferTopic,
} from '../../../../tools/testing/cluster';
import { issueKey } from '../auth-helpers';
import { backlogOf, consumerOf, publishClicks } from '../consumption-helpers';
import { createTestStream, readStream, startApiWith } from '../streams-helpers';

const PARTITIONS = 4;

/** The API with the cluster's proxy as its Pulsar service and admin URL (set by the cluster setup). */
describe('Gyre API on the two-broker cluster', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startApiWith({});
  });
  afterAll(() => app?.close());

  it('stores every event of array requests once over four partitions spread by the load manager', async () => {
    const operator = await issueKey(app, 'admin');
    const { name, topic } = await createTestStream(app, operator, { partitions: PARTITIONS });
    for (let request = 0; request < 5; request++) await publishClicks(app, operator, name, 30, request * 30);
    const stored = await readStream(topic);
    expect(stored.map((m) => JSON.parse(m.data).amount).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 150 }, (_, i) => i),
    );
  });

  it('acks leases taken before their partition moved to the other broker: each acked, none back', async () => {
    const operator = await issueKey(app, 'admin');
    const { name, topic } = await createTestStream(app, operator, { partitions: PARTITIONS });
    await publishClicks(app, operator, name, 80);
    const consumer = consumerOf(app, operator, name, 'moved-under-lease');
    const leased = await waitFor(
      async () => {
        const messages = await consumer.pull({ max: 100, waitMs: 2000, leaseMs: 120_000 });
        return messages.length > 0 ? messages : undefined;
      },
      { timeoutMs: 60_000, description: 'a first pull with messages' },
    );
    const all = [...leased];
    while (all.length < 80) all.push(...(await consumer.pull({ max: 100, waitMs: 2000, leaseMs: 120_000 })));
    expect(new Set(all.map((m) => m.payload.amount)).size).toBe(80);
    for (let p = 0; p < PARTITIONS; p++) await transferTopic(`${topic}-partition-${p}`);
    const results = await consumer.ack(all.map((m) => m.leaseToken));
    expect(results.filter((result) => result !== 'acked')).toEqual([]);
    await waitFor(async () => (await backlogOf(topic, 'moved-under-lease')) === 0, {
      timeoutMs: 60_000,
      description: 'an empty backlog after the acks',
    });
    expect(await consumer.pull({ max: 100, waitMs: 1000 })).toEqual([]);
  });

  it('never hands out again an answered ack when the broker owning the partitions is killed with -9', async () => {
    const brokers = new ClusterBrokers();
    const operator = await issueKey(app, 'admin');
    const { name, topic } = await createTestStream(app, operator, { partitions: PARTITIONS });
    const partitions = Array.from({ length: PARTITIONS }, (_, p) => `${topic}-partition-${p}`);
    await publishClicks(app, operator, name, 120);
    const consumer = consumerOf(app, operator, name, 'through-broker-kill');
    const leased = [];
    while (leased.length < 120)
      leased.push(...(await consumer.pull({ max: 100, waitMs: 2000, leaseMs: 120_000 })));
    // Two thirds acked (the answers come after the commit), every third nacked: holes in every batch entry.
    const acked = leased.filter((m) => m.payload.amount % 3 !== 2);
    const nacked = leased.filter((m) => m.payload.amount % 3 === 2);
    expect(await consumer.ack(acked.map((m) => m.leaseToken))).toEqual(acked.map(() => 'acked'));
    expect(await consumer.nack(nacked.map((m) => m.leaseToken))).toEqual(nacked.map(() => 'nacked'));

    const owner = await ownerOf(partitions[0]);
    await brokers.kill9(owner);
    try {
      await Promise.all(partitions.map((partition) => brokers.waitForNewOwner(partition, owner)));
      const after: number[] = [];
      await waitFor(
        async () => {
          const pulled = await consumer.pull({ max: 100, waitMs: 2000, leaseMs: 120_000 });
          after.push(...pulled.map((m) => m.payload.amount));
          if (pulled.length > 0) await consumer.ack(pulled.map((m) => m.leaseToken));
          return (await backlogOf(topic, 'through-broker-kill')) === 0 && pulled.length === 0;
        },
        { timeoutMs: 180_000, intervalMs: 100, description: 'the subscription to drain after the kill' },
      );
      const ackedAmounts = new Set(acked.map((m) => m.payload.amount));
      const cameBack = after.filter((amount) => ackedAmounts.has(amount));
      reportClusterCounts('HTTP acks (committed) through kill -9 of the owning broker', {
        acked: acked.length,
        ackedRedelivered: cameBack.length,
        nackedRedelivered: after.length - cameBack.length,
      });
      expect(cameBack).toEqual([]);
      expect(new Set(after)).toEqual(new Set(nacked.map((m) => m.payload.amount)));
    } finally {
      await brokers.restart(owner);
    }
  }, 600_000);
});
