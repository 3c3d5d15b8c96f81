import { testEndpoints, uniqueName } from '../../../tools/testing';
import { Client, MessageId } from '../src';

export const endpoints = testEndpoints();

/**
 * The client's default 30 s operation timeout: with transactions on, the broker answers a reader's
 * GET_LAST_MESSAGE_ID only once the topic's transaction buffer has recovered, which a loaded machine can
 * stretch past 10 s.
 */
export function newClient(): Client {
  return new Client({
    serviceUrl: endpoints.pulsarServiceUrl,
    operationTimeoutSeconds: 30,
    backoff: { initialMs: 50, maxMs: 1000 },
  });
}

export function uniqueTopic(prefix: string): string {
  return `persistent://public/default/${uniqueName(prefix)}`;
}

export async function createPartitionedTopic(topic: string, partitions: number): Promise<void> {
  const path = topic.replace('persistent://', '');
  const response = await fetch(`${endpoints.pulsarAdminUrl}/admin/v2/persistent/${path}/partitions`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: String(partitions),
  });
  if (!response.ok) throw new Error(`creating ${topic}: ${response.status} ${await response.text()}`);
}

export async function adminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${endpoints.pulsarAdminUrl}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

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
