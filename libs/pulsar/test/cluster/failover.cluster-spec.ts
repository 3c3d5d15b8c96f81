import { readAllText, uniqueTopic, waitFor } from '../../../../tools/testing';
import {
  ClusterBrokers,
  clusterAdmin,
  clusterClient,
  ownerOf,
  reportClusterCounts,
  transferTopic,
} from '../../../../tools/testing/cluster';
import { auditKeyed, KeyedAudit, keyedPayloads } from '../../../../tools/testing/keyed-audit';
import { Client, Consumer, Producer } from '../../src';

const KEYS = 8;
const PER_KEY = 60;

const topicPath = (topic: string) => topic.replace('://', '/');

async function enableDeduplication(topic: string): Promise<void> {
  await clusterAdmin('PUT', `/admin/v2/${topicPath(topic)}`);
  await clusterAdmin('POST', `/admin/v2/${topicPath(topic)}/deduplicationEnabled`, true);
  await waitFor(
    async () =>
      (await clusterAdmin<boolean>(
        'GET',
        `/admin/v2/${topicPath(topic)}/deduplicationEnabled?applied=true`,
      )) === true,
    { description: `deduplication to apply to ${topic}` },
  );
}

/** Sends keyed payloads; `acked` lists those whose send the broker confirmed, in confirmation order. */
function keyedSender(producer: Producer) {
  const acked: string[] = [];
  const send = ({ key, data }: { key: string; data: string }) =>
    producer.send({ data: Buffer.from(data), partitionKey: key }).then(() => acked.push(data));
  return { acked, send };
}

/** Receives and acks until `count` distinct payloads arrived; `arrived` keeps every delivery in order. */
async function consumeUntil(consumer: Consumer, arrived: string[], count: number): Promise<void> {
  while (new Set(arrived).size < count) {
    const message = await consumer.receive(120_000);
    arrived.push(message.getData().toString());
    await consumer.acknowledge(message);
  }
}

/**
 * kill -9 of the broker that owns three topics at once, while the client produces to two of them (one with
 * deduplication) and consumes the third: no graceful hand-over, the broker's metadata session expires and
 * the other broker takes the topics. One kill (and one restart) for the three, as broker start-up is slow.
 */
describe('the client when the broker owning its topics is killed (kill -9) mid-stream', () => {
  const brokers = new ClusterBrokers();
  const payloads = keyedPayloads(KEYS, PER_KEY);
  const half = payloads.length / 2;
  let client: Client;
  let killed: number | undefined;
  const audits: Record<'plain' | 'deduplicated' | 'consumed', KeyedAudit> = {} as never;
  const acked: Record<'plain' | 'deduplicated', string[]> = { plain: [], deduplicated: [] };

  beforeAll(async () => {
    client = clusterClient();
    const plain = uniqueTopic('kill-produce');
    const deduplicated = uniqueTopic('kill-produce-dedup');
    const consumed = uniqueTopic('kill-consume');
    await enableDeduplication(deduplicated);
    const owner = await ownerOf(plain);
    for (const topic of [deduplicated, consumed])
      if ((await ownerOf(topic)) !== owner) await transferTopic(topic);

    const filler = await client.createProducer({ topic: consumed, batchingMaxMessages: 10 });
    await Promise.all(
      payloads.map(({ key, data }) => filler.send({ data: Buffer.from(data), partitionKey: key })),
    );
    await filler.close();
    const consumer = await client.subscribe({
      topic: consumed,
      subscription: 'through-kill',
      subscriptionType: 'Failover',
      subscriptionInitialPosition: 'Earliest',
      receiverQueueSize: 50,
    });
    const options = { sendTimeoutMs: 0, batchingMaxMessages: 10 };
    const plainProducer = await client.createProducer({ topic: plain, ...options });
    const dedupProducer = await client.createProducer({
      topic: deduplicated,
      producerName: `dedup-${deduplicated.split('/').pop()}`,
      ...options,
    });
    const senders = [plainProducer, dedupProducer].map(keyedSender);
    [acked.plain, acked.deduplicated] = senders.map((s) => s.acked);

    await Promise.all(senders.flatMap((s) => payloads.slice(0, half).map(s.send)));
    const arrived: string[] = [];
    await consumeUntil(consumer, arrived, half);

    killed = owner;
    const killing = brokers.kill9(owner);
    const rest = senders.flatMap((s) => payloads.slice(half).map(s.send));
    await killing;
    await Promise.all([plain, deduplicated, consumed].map((topic) => brokers.waitForNewOwner(topic, owner)));
    await Promise.all(rest);
    await consumeUntil(consumer, arrived, payloads.length);
    await Promise.all([plainProducer.close(), dedupProducer.close(), consumer.close()]);

    audits.plain = auditKeyed(acked.plain, await readAllText(client, plain));
    audits.deduplicated = auditKeyed(acked.deduplicated, await readAllText(client, deduplicated));
    audits.consumed = auditKeyed(
      payloads.map((p) => p.data),
      arrived,
    );
    reportClusterCounts('kill -9 of the owner during produce, deduplication off', audits.plain);
    reportClusterCounts('kill -9 of the owner during produce, deduplication on', audits.deduplicated);
    reportClusterCounts('kill -9 of the owner during consume (deliveries beyond the first)', audits.consumed);
  }, 600_000);

  afterAll(async () => {
    await client?.close();
    if (killed !== undefined) await brokers.restart(killed);
  }, 600_000);

  it('confirms every send, loses no confirmed send and keeps each key in order (duplicates counted)', () => {
    expect(acked.plain).toHaveLength(payloads.length);
    expect(audits.plain.lost).toBe(0);
    expect(audits.plain.reordered).toBe(0);
  });

  it('stores each send exactly once, in key order, when deduplication is on', () => {
    expect(acked.deduplicated).toHaveLength(payloads.length);
    expect(audits.deduplicated).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  });

  it('delivers every message to the consumer, first deliveries in key order (redeliveries counted)', () => {
    expect(audits.consumed.lost).toBe(0);
    expect(audits.consumed.reordered).toBe(0);
  });
});
