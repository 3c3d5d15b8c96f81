import { testPulsarClient, uniqueTopic } from '../../../tools/testing';
import { Client, Consumer, Message, MessageId } from '../src';

describe('per-message negative-ack delays and key-based batching on the real broker', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  it('redelivers a message nacked with its own delay after that delay, the others after nAckRedeliverTimeoutMs', async () => {
    const topic = uniqueTopic('nack-delay');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionType: 'Shared',
      nAckRedeliverTimeoutMs: 60_000,
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await producer.send({ data: Buffer.from('soon') });
    await producer.send({ data: Buffer.from('default') });
    const [soon, later] = [await consumer.receive(10_000), await consumer.receive(10_000)];
    const nackedAt = Date.now();
    consumer.negativeAcknowledge(soon, 300);
    consumer.negativeAcknowledge(later);
    // Well before the default's 60 s: only the message's own delay can bring it back in time.
    const again = await consumer.receive(30_000);
    const waited = Date.now() - nackedAt;
    expect([again.getData().toString(), again.getRedeliveryCount()]).toEqual(['soon', 1]);
    expect(waited).toBeGreaterThanOrEqual(280);
    await expect(consumer.receive(1500)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(() => consumer.negativeAcknowledge(again, -1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  async function sendInterleaved(batchingType: 'DefaultBatching' | 'KeyBasedBatching', topic: string) {
    const producer = await client.createProducer({
      topic,
      batchingType,
      batchingMaxPublishDelayMs: 50,
      batchingMaxMessages: 100,
    });
    const keys = Array.from({ length: 16 }, (_, i) => `key-${i}`);
    const sends: { key: string; seq: number; id: Promise<MessageId> }[] = [];
    for (let seq = 0; seq < 10; seq++)
      for (const key of keys)
        sends.push({
          key,
          seq,
          id: producer.send({ data: Buffer.from(`${key}/${seq}`), partitionKey: key }),
        });
    const ids = await Promise.all(sends.map((send) => send.id));
    const keysPerEntry = new Map<string, Set<string>>();
    ids.forEach((id, i) => {
      const entry = `${id.ledgerId}:${id.entryId}`;
      keysPerEntry.set(entry, (keysPerEntry.get(entry) ?? new Set()).add(sends[i].key));
    });
    return { ids, keysPerEntry, total: sends.length };
  }

  it('puts one key per batch with KeyBasedBatching, so two Key_Shared consumers each get whole keys in order', async () => {
    const topic = uniqueTopic('key-batching');
    const subscribe = () =>
      client.subscribe({ topic, subscription: 'ks', subscriptionType: 'KeyShared', receiverQueueSize: 50 });
    const consumers = [await subscribe(), await subscribe()];
    const { ids, keysPerEntry, total } = await sendInterleaved('KeyBasedBatching', topic);
    expect(ids.some((id) => id.batchSize > 1)).toBe(true);
    expect([...keysPerEntry.values()].every((keys) => keys.size === 1)).toBe(true);

    const received: { consumer: number; key: string; seq: number }[] = [];
    const drain = async (consumer: Consumer, index: number) => {
      while (received.length < total) {
        let message: Message;
        try {
          message = await consumer.receive(200);
        } catch {
          continue;
        }
        const [key, seq] = message.getData().toString().split('/');
        received.push({ consumer: index, key, seq: Number(seq) });
        await consumer.acknowledge(message);
      }
    };
    await Promise.all(consumers.map(drain));
    const byKey = new Map<string, { consumers: Set<number>; seqs: number[] }>();
    for (const { consumer, key, seq } of received) {
      const entry = byKey.get(key) ?? { consumers: new Set<number>(), seqs: [] };
      entry.consumers.add(consumer);
      entry.seqs.push(seq);
      byKey.set(key, entry);
    }
    expect(byKey.size).toBe(16);
    for (const { consumers: owners, seqs } of byKey.values()) {
      expect(owners.size).toBe(1);
      expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(new Set(received.map((r) => r.consumer)).size).toBe(2);
  });

  it('mixes keys in one batch with DefaultBatching (why Key_Shared needs the key-based batcher)', async () => {
    const { keysPerEntry } = await sendInterleaved('DefaultBatching', uniqueTopic('default-batching'));
    expect([...keysPerEntry.values()].some((keys) => keys.size > 1)).toBe(true);
  });
});
