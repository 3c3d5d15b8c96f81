import { Client, Message, MessageId } from '@gyre/pulsar';
import { testEndpoints } from './endpoints';
import { uniqueName } from './unique-name';

/**
 * A client of the stack's broker with the client's default 30 s operation timeout: with transactions on,
 * the broker answers a reader's GET_LAST_MESSAGE_ID only once the topic's transaction buffer has
 * recovered, which a loaded machine can stretch past 10 s.
 */
export function testPulsarClient(serviceUrl = testEndpoints().pulsarServiceUrl): Client {
  return new Client({ serviceUrl, operationTimeoutSeconds: 30, backoff: { initialMs: 50, maxMs: 1000 } });
}

/** A topic in public/default that no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `persistent://public/default/${uniqueName(prefix)}`;
}

/** Every message of `topic` (of each partition in turn, if it is partitioned), from the earliest on. */
export async function readAll(client: Client, topic: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (const partition of await client.getPartitionsForTopic(topic)) {
    const reader = await client.createReader({ topic: partition, startMessageId: MessageId.earliest() });
    try {
      while (await reader.hasMessageAvailable()) messages.push(await reader.readNext(10_000));
    } finally {
      await reader.close();
    }
  }
  return messages;
}

/** The payloads of `readAll`, as text. */
export async function readAllText(client: Client, topic: string): Promise<string[]> {
  return (await readAll(client, topic)).map((message) => message.getData().toString());
}

/** A GET on the stack's Pulsar admin API; throws with the broker's answer when it is not 2xx. */
export async function pulsarAdminGet<T>(path: string): Promise<T> {
  const response = await fetch(`${testEndpoints().pulsarAdminUrl}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * How many messages `subscription` on `topic` (a partition or an unpartitioned topic) has not acked;
 * undefined while the subscription does not exist.
 */
export async function subscriptionBacklog(topic: string, subscription: string): Promise<number | undefined> {
  const stats = await pulsarAdminGet<{ subscriptions: Record<string, { msgBacklog: number }> }>(
    `/admin/v2/${topic.replace('://', '/')}/stats`,
  );
  return stats.subscriptions[subscription]?.msgBacklog;
}

export async function createPartitionedTopic(topic: string, partitions: number): Promise<void> {
  const path = topic.replace('persistent://', '');
  const response = await fetch(`${testEndpoints().pulsarAdminUrl}/admin/v2/persistent/${path}/partitions`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: String(partitions),
  });
  if (!response.ok) throw new Error(`creating ${topic}: ${response.status} ${await response.text()}`);
}
