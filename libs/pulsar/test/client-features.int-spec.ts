import {
  createPartitionedTopic,
  subscriptionBacklog,
  testPulsarClient,
  uniqueName,
  uniqueTopic,
  waitFor,
} from '../../../tools/testing';
import { Client, Consumer, Message, murmur3Hash } from '../src';

const text = (messages: Message[]): string[] => messages.map((message) => message.getData().toString());

/** Sends `count` unbatched messages `<prefix>0`, `<prefix>1`... in order. */
async function sendNumbered(client: Client, topic: string, count: number, prefix = ''): Promise<void> {
  const producer = await client.createProducer({ topic, batchingEnabled: false });
  for (let i = 0; i < count; i++) await producer.send({ data: Buffer.from(`${prefix}${i}`) });
  await producer.close();
}

describe('the official client options applications use most, on the real broker', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  describe('messageRouter', () => {
    it("puts every message where the router says, keyed or not, and tells it the topic's partition count", async () => {
      const topic = uniqueTopic('router');
      await createPartitionedTopic(topic, 3);
      const counts: number[] = [];
      const regions: Record<string, number> = { eu: 0, us: 2 };
      const producer = await client.createProducer({
        topic,
        messageRouter: (message, metadata) => {
          counts.push(metadata.numPartitions);
          return regions[message.getProperties().region];
        },
      });
      const ids = await Promise.all([
        producer.send({ data: Buffer.from('a'), properties: { region: 'us' } }),
        producer.send({ data: Buffer.from('b'), properties: { region: 'eu' }, partitionKey: 'keykeykey2' }),
        producer.send({ data: Buffer.from('c'), properties: { region: 'us' } }),
      ]);
      expect(ids.map((id) => id.partition)).toEqual([2, 0, 2]);
      expect(counts).toEqual([3, 3, 3]);
    });

    it('fails a send whose router picks no partition of the topic, and sends the next', async () => {
      const topic = uniqueTopic('router-bad');
      await createPartitionedTopic(topic, 2);
      const producer = await client.createProducer({
        topic,
        messageRoutingMode: 'CustomPartition',
        messageRouter: (message) => Number(message.getData().toString()),
      });
      await expect(producer.send({ data: Buffer.from('2') })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('Illegal partition index chosen by the message routing policy: 2'),
      });
      expect((await producer.send({ data: Buffer.from('1') })).partition).toBe(1);
    });

    it('keeps every message of a UseSinglePartition producer on one partition', async () => {
      const topic = uniqueTopic('single-route');
      await createPartitionedTopic(topic, 4);
      const producer = await client.createProducer({
        topic,
        messageRoutingMode: 'UseSinglePartition',
        batchingEnabled: false,
      });
      const ids = await Promise.all(
        Array.from({ length: 8 }, (_, i) => producer.send({ data: Buffer.from(String(i)) })),
      );
      expect(new Set(ids.map((id) => id.partition)).size).toBe(1);
    });
  });

  describe('batchReceive', () => {
    it('returns full batches of maxNumMessages, then the rest at timeoutMs, all in order and acked', async () => {
      const topic = uniqueTopic('batch-receive');
      const consumer = await client.subscribe({
        topic,
        subscription: 'sub',
        batchReceivePolicy: { maxNumMessages: 10, timeoutMs: 1000 },
      });
      await sendNumbered(client, topic, 25);
      const batches: string[][] = [];
      while (batches.flat().length < 25) {
        const batch = await consumer.batchReceive();
        batches.push(text(batch));
        await Promise.all(batch.map((message) => consumer.acknowledge(message)));
      }
      expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
      expect(Math.max(...batches.map((batch) => batch.length))).toBe(10);
      await waitFor(async () => (await subscriptionBacklog(topic, 'sub')) === 0, {
        description: 'every message of the batches acked',
      });
    });

    it('cuts batches at maxNumBytes of payload', async () => {
      const topic = uniqueTopic('batch-bytes');
      const consumer = await client.subscribe({
        topic,
        subscription: 'sub',
        // The timeout is only a bound on a failing run: every batch below fills up by bytes.
        batchReceivePolicy: { maxNumBytes: 250, timeoutMs: 30_000 },
      });
      const producer = await client.createProducer({ topic, batchingEnabled: false });
      // A batch fills when a third message brings the queue to 300 bytes, and takes the two that fit.
      for (let i = 0; i < 7; i++) await producer.send({ data: Buffer.alloc(100, 48 + i) });
      for (let batch = 0; batch < 3; batch++) {
        const messages = await consumer.batchReceive();
        expect(messages.map((message) => message.getData().length)).toEqual([100, 100]);
      }
    });

    it('resolves with no message at timeoutMs when nothing comes, and is refused with a listener', async () => {
      const topic = uniqueTopic('batch-empty');
      const consumer = await client.subscribe({
        topic,
        subscription: 'sub',
        batchReceivePolicy: { timeoutMs: 200 },
      });
      await expect(consumer.batchReceive()).resolves.toEqual([]);
      const listening = await client.subscribe({
        topic,
        subscription: 'listening',
        listener: () => undefined,
      });
      await expect(listening.batchReceive()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  describe('topicsPattern', () => {
    it('subscribes to the matching topics and partitions of the namespace, and to new ones as they appear', async () => {
      const prefix = uniqueName('pattern');
      const [plain, partitioned, later, other] = ['plain', 'parted', 'later', 'other'].map(
        (name) => `persistent://public/default/${name === 'other' ? `x-${prefix}` : `${prefix}-${name}`}`,
      );
      await sendNumbered(client, plain, 2, 'plain-');
      await createPartitionedTopic(partitioned, 2);
      await sendNumbered(client, partitioned, 2, 'parted-');
      await sendNumbered(client, other, 1, 'other-');
      const discoveries: string[][] = [];
      client.on('patternDiscovery', (event) => discoveries.push(event.added));
      const consumer = await client.subscribe({
        topicsPattern: `persistent://public/default/${prefix}-.*`,
        subscription: 'sub',
        subscriptionInitialPosition: 'Earliest',
        patternAutoDiscoveryPeriod: 1,
      });
      const received = await receiveTexts(consumer, 4);
      expect(received.sort()).toEqual(['parted-0', 'parted-1', 'plain-0', 'plain-1']);
      await sendNumbered(client, later, 2, 'later-');
      await waitFor(() => discoveries.some((added) => added.includes(later)), {
        description: 'the new topic discovered',
        timeoutMs: 15_000,
      });
      expect((await receiveTexts(consumer, 2)).sort()).toEqual(['later-0', 'later-1']);
      await expect(consumer.receive(300)).rejects.toMatchObject({ code: 'TIMEOUT' });
    });

    it('refuses a pattern together with topic names', async () => {
      await expect(
        client.subscribe({
          topic: uniqueTopic('t'),
          topicsPattern: 'public/default/t-.*',
          subscription: 's',
        }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  describe('keySharedPolicy', () => {
    it('gives each Sticky consumer the keys whose hash falls in its ranges', async () => {
      const topic = uniqueTopic('sticky');
      const subscribe = (start: number, end: number): Promise<Consumer> =>
        client.subscribe({
          topic,
          subscription: 'sub',
          subscriptionType: 'KeyShared',
          keySharedPolicy: { keyShareMode: 'Sticky', stickyRanges: [{ start, end }] },
        });
      const low = await subscribe(0, 32767);
      const high = await subscribe(32768, 65535);
      const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
      const producer = await client.createProducer({ topic, batchingEnabled: false });
      for (const key of keys) await producer.send({ data: Buffer.from(key), partitionKey: key });
      const lowKeys = keys.filter((key) => murmur3Hash(key) % 65536 <= 32767);
      expect(lowKeys.length).toBeGreaterThan(0);
      expect(lowKeys.length).toBeLessThan(keys.length);
      expect((await receiveTexts(low, lowKeys.length)).sort()).toEqual([...lowKeys].sort());
      expect((await receiveTexts(high, keys.length - lowKeys.length)).sort()).toEqual(
        keys.filter((key) => !lowKeys.includes(key)).sort(),
      );
    });

    it('sends the ranges to the broker, which refuses a consumer overlapping another', async () => {
      const topic = uniqueTopic('sticky-overlap');
      const options = {
        topic,
        subscription: 'sub',
        subscriptionType: 'KeyShared' as const,
      };
      await client.subscribe({
        ...options,
        keySharedPolicy: { keyShareMode: 'Sticky', stickyRanges: [{ start: 0, end: 1000 }] },
      });
      await expect(
        client.subscribe({
          ...options,
          keySharedPolicy: { keyShareMode: 'Sticky', stickyRanges: [{ start: 500, end: 2000 }] },
        }),
      ).rejects.toMatchObject({ serverError: 'ConsumerAssignError' });
    });

    it('delivers with AutoSplit and allowOutOfOrderDelivery, and refuses the policy on a Shared subscription', async () => {
      const topic = uniqueTopic('auto-split');
      const consumer = await client.subscribe({
        topic,
        subscription: 'sub',
        subscriptionType: 'KeyShared',
        keySharedPolicy: { keyShareMode: 'AutoSplit', allowOutOfOrderDelivery: true },
      });
      const producer = await client.createProducer({ topic });
      await Promise.all(
        ['a', 'b', 'c'].map((key) => producer.send({ data: Buffer.from(key), partitionKey: key })),
      );
      expect((await receiveTexts(consumer, 3)).sort()).toEqual(['a', 'b', 'c']);
      await expect(
        client.subscribe({ topic, subscription: 'other', subscriptionType: 'Shared', keySharedPolicy: {} }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });
});

/** Receives and acks `count` messages; returns their payloads. */
async function receiveTexts(consumer: Consumer, count: number): Promise<string[]> {
  const received: string[] = [];
  for (let i = 0; i < count; i++) {
    const message = await consumer.receive(10_000);
    received.push(message.getData().toString());
    await consumer.acknowledge(message);
  }
  return received;
}
