import { GyreConfig } from '@gyre/config';
import { Client } from '@gyre/pulsar';
import { performance } from 'node:perf_hooks';

// The reference side of bench/api-ingest.ts: what @gyre/pulsar does without the API in between.

/** (c) The events of (b) with a producer configured as the API's, the same number of events in flight. */
export async function publishDirect(
  client: Client,
  config: GyreConfig,
  topic: string,
  batches: Buffer[][],
  concurrency: number,
): Promise<number> {
  const producer = await client.createProducer({
    topic,
    sendTimeoutMs: config.ingest.sendTimeoutMs,
    maxPendingMessages: config.ingest.maxInFlightEvents,
    batchingEnabled: true,
    batchingMaxPublishDelayMs: 5,
  });
  try {
    // Warm-up: one batch, not timed (the API side had its warm-up request too).
    await Promise.all(batches[0].map((data) => producer.send({ data })));
    let next = 1;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          await Promise.all(batch.map((data) => producer.send({ data })));
        }
      }),
    );
    return (performance.now() - started) / 1000;
  } finally {
    await producer.close();
  }
}

/** (d) Native: a Shared consumer on an existing subscription, each message acknowledged. */
export async function drainNative(
  client: Client,
  topic: string,
  subscription: string,
  count: number,
): Promise<number> {
  const consumer = await client.subscribe({ topic, subscription, subscriptionType: 'Shared' });
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) void consumer.acknowledge(await consumer.receive(30_000));
    return (performance.now() - started) / 1000;
  } finally {
    await consumer.close();
  }
}

/** The durable Shared subscriptions that will hold the backlog (d) drains, created before producing. */
export async function createSubscriptions(client: Client, topic: string, names: string[]): Promise<void> {
  for (const subscription of names) {
    const consumer = await client.subscribe({ topic, subscription, subscriptionType: 'Shared' });
    await consumer.close();
  }
}
