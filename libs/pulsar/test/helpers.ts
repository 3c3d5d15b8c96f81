import { Client, MessageId } from '../src';

/**
 * Publishes `payloads` as ONE batch entry (one producer, one batch window holding them all) and returns
 * their ids: what a producer batching a burst of events does, and what batch-index acks are about.
 */
export async function sendAsOneEntry(
  client: Client,
  topic: string,
  payloads: string[],
): Promise<MessageId[]> {
  const producer = await client.createProducer({
    topic,
    batchingEnabled: true,
    batchingMaxMessages: payloads.length,
    batchingMaxPublishDelayMs: 60_000,
  });
  try {
    const ids = await Promise.all(payloads.map((data) => producer.send({ data: Buffer.from(data) })));
    const entries = new Set(ids.map((id) => id.entryKey()));
    if (entries.size !== 1) throw new Error(`expected one batch entry, got ${entries.size}`);
    return ids;
  } finally {
    await producer.close();
  }
}
