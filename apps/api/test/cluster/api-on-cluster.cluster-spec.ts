import type { INestApplication } from '@nestjs/common';
import { waitFor } from '../../../../tools/testing';
import { transferTopic } from '../../../../tools/testing/cluster';
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
});
