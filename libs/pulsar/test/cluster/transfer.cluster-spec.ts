import { readAllText, uniqueTopic } from '../../../../tools/testing';
import {
  clusterClient,
  ownerOf,
  reportClusterCounts,
  transferTopic,
} from '../../../../tools/testing/cluster';
import { auditKeyed, keyedPayloads } from '../../../../tools/testing/keyed-audit';
import { Client } from '../../src';

const KEYS = 8;
const PER_KEY = 50;

/** Admin unload naming the other broker: the topic changes owner gracefully; clients must follow it. */
describe('the client when its topic is transferred to the other broker (bundle unload)', () => {
  let client: Client;
  beforeEach(() => {
    client = clusterClient();
  });
  afterEach(() => client.close());

  it('follows the topic while producing: every send acknowledged once, each key in order', async () => {
    const topic = uniqueTopic('transfer-produce');
    const producer = await client.createProducer({ topic, sendTimeoutMs: 0, batchingMaxMessages: 10 });
    const payloads = keyedPayloads(KEYS, PER_KEY);
    const third = payloads.length / 3;
    const acked: string[] = [];
    const send = ({ key, data }: { key: string; data: string }) =>
      producer.send({ data: Buffer.from(data), partitionKey: key }).then(() => acked.push(data));
    const first = await ownerOf(topic);
    await Promise.all(payloads.slice(0, third).map(send));
    const during = payloads.slice(third, 2 * third).map(send);
    const moved = await transferTopic(topic);
    await Promise.all(during);
    const back = transferTopic(topic);
    const after = payloads.slice(2 * third).map(send);
    await back;
    await Promise.all(after);
    await producer.close();
    expect(moved).toBe(1 - first);
    expect(await ownerOf(topic)).toBe(first);
    const audit = auditKeyed(acked, await readAllText(client, topic));
    reportClusterCounts('two topic transfers during produce', audit);
    expect(acked).toHaveLength(payloads.length);
    expect(audit).toEqual({ lost: 0, duplicated: 0, reordered: 0 });
  });

  it('follows the topic while consuming: every message delivered, each key in order (redeliveries counted)', async () => {
    const topic = uniqueTopic('transfer-consume');
    const producer = await client.createProducer({ topic, batchingMaxMessages: 10 });
    const payloads = keyedPayloads(KEYS, PER_KEY).map((p) => p.data);
    await Promise.all(
      payloads.map((data) => producer.send({ data: Buffer.from(data), partitionKey: data.split(':')[0] })),
    );
    await producer.close();
    const consumer = await client.subscribe({
      topic,
      subscription: 'through-transfer',
      subscriptionType: 'Failover',
      subscriptionInitialPosition: 'Earliest',
      receiverQueueSize: 50,
    });
    const arrived: string[] = [];
    const firstSeen = new Set<string>();
    const consumeUntil = async (count: number) => {
      while (firstSeen.size < count) {
        const message = await consumer.receive(60_000);
        arrived.push(message.getData().toString());
        firstSeen.add(message.getData().toString());
        await consumer.acknowledge(message);
      }
    };
    await consumeUntil(payloads.length / 3);
    const first = await ownerOf(topic);
    await transferTopic(topic);
    await consumeUntil((2 * payloads.length) / 3);
    await transferTopic(topic);
    await consumeUntil(payloads.length);
    await consumer.close();
    expect(await ownerOf(topic)).toBe(first);
    const audit = auditKeyed(payloads, arrived);
    reportClusterCounts('two topic transfers during consume (redeliveries of acked messages)', audit);
    expect(audit.lost).toBe(0);
    expect(audit.reordered).toBe(0);
  });
});
