import { testPulsarClient, uniqueTopic } from '../../../tools/testing';
import { Client, MessageId } from '../src';

/**
 * What an application observes of results, keys and ids is shaped as in the official pulsar-client, on the
 * real broker (`npm run test:compat`).
 */
describe('Result and value shapes compatible with pulsar-client', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  it('resolves flush, acknowledge*, seek*, unsubscribe and every close with null', async () => {
    const topic = uniqueTopic('compat-null');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const ids: MessageId[] = [];
    for (let i = 0; i < 3; i++) ids.push(await producer.send({ data: Buffer.from(String(i)) }));
    expect(await producer.flush()).toBeNull();

    const first = await consumer.receive(10_000);
    expect(await consumer.acknowledge(first)).toBeNull();
    expect(await consumer.acknowledgeId((await consumer.receive(10_000)).getMessageId())).toBeNull();
    expect(await consumer.acknowledgeCumulative(await consumer.receive(10_000))).toBeNull();
    expect(await consumer.acknowledgeCumulativeId(ids[2])).toBeNull();
    expect(await consumer.seek(MessageId.earliest())).toBeNull();
    expect(await consumer.seekTimestamp(0)).toBeNull();

    const reader = await client.createReader({ topic, startMessageId: MessageId.earliest() });
    expect(await reader.seek(ids[0])).toBeNull();
    expect(await reader.seekTimestamp(0)).toBeNull();
    expect(await reader.close()).toBeNull();

    expect(await consumer.unsubscribe()).toBeNull();
    expect(await consumer.close()).toBeNull();
    expect(await producer.close()).toBeNull();
    expect(await client.close()).toBeNull();
    expect(await client.close()).toBeNull();
  });

  it("gives '' for a message without key, hasPartitionKey() telling it from a keyed one", async () => {
    const topic = uniqueTopic('compat-key');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({
      topic,
      batchingEnabled: true,
      batchingMaxPublishDelayMs: 0,
    });
    await producer.send({ data: Buffer.from('keyless') });
    await producer.send({ data: Buffer.from('keyed'), partitionKey: 'card-1' });
    const [keyless, keyed] = [await consumer.receive(10_000), await consumer.receive(10_000)];
    expect(keyless.getPartitionKey()).toBe('');
    expect(keyless.hasPartitionKey()).toBe(false);
    expect(keyed.getPartitionKey()).toBe('card-1');
    expect(keyed.hasPartitionKey()).toBe(true);
  });

  it('prints a message id in the official form, the Java form on request, and reads both back', async () => {
    const topic = uniqueTopic('compat-id-text');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const id = await producer.send({ data: Buffer.from('x') });
    expect(id.toString()).toBe(`(${id.ledgerId},${id.entryId},-1,-1)`);
    expect(id.toJavaString()).toBe(`${id.ledgerId}:${id.entryId}:-1`);
    expect(MessageId.fromString(id.toString()).equals(id)).toBe(true);
    expect(MessageId.fromString(id.toJavaString()).equals(id)).toBe(true);
  });
});
