import {
  createPartitionedTopic,
  readAll,
  testEndpoints,
  testPulsarClient,
  uniqueTopic,
} from '../../../tools/testing';
import { Client, CompressionType, Message, MessageId, Producer } from '../src';
import { JavaMessageId, JavaPeer, JavaProduceRequest } from './interop/java-peer';

const COMPRESSIONS: [JavaProduceRequest['compression'], CompressionType][] = [
  ['LZ4', 'LZ4'],
  ['ZLIB', 'Zlib'],
  ['ZSTD', 'ZSTD'],
  ['SNAPPY', 'SNAPPY'],
];

/** Messages that exercise what must survive the trip: sizes that compress, keys, properties, event time. */
function sampleMessages(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    data: Buffer.from(`payload-${i}-${'gyre'.repeat(i % 40)}`),
    key: `user-${i % 7}`,
    properties: { index: String(i), kind: i % 2 === 0 ? 'even' : 'odd' },
    eventTime: 1_700_000_000_000 + i,
  }));
}

function expectSameId(ts: MessageId, java: JavaMessageId): void {
  expect({
    ledgerId: String(ts.ledgerId),
    entryId: String(ts.entryId),
    partition: ts.partition,
    batchIndex: ts.batchIndex,
    text: ts.toJavaString(),
  }).toEqual({
    ledgerId: java.ledgerId,
    entryId: java.entryId,
    partition: java.partition,
    batchIndex: java.batchIndex,
    text: java.text,
  });
}

const endpoints = testEndpoints();

describe(`${Client.name} interoperating with the official Java client`, () => {
  let java: JavaPeer;
  let client: Client;
  beforeAll(async () => {
    java = await JavaPeer.start(endpoints.pulsarServiceUrl);
  }, 60_000);
  afterAll(() => java?.stop());
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  it.each(COMPRESSIONS)(
    'consumes a batched %s stream produced by Java with identical payloads, keys, properties, event times and ids',
    async (javaCompression) => {
      const topic = uniqueTopic(`interop-from-java-${javaCompression.toLowerCase()}`);
      const sent = sampleMessages(80);
      const ids = await java.produce({
        topic,
        compression: javaCompression,
        batching: true,
        batchingMaxMessages: 20,
        messages: sent,
      });
      expect(ids.some((id) => id.batchIndex > 0)).toBe(true);
      const consumer = await client.subscribe({
        topic,
        subscription: 'ts',
        subscriptionInitialPosition: 'Earliest',
      });
      for (let i = 0; i < sent.length; i++) {
        const message: Message = await consumer.receive(10_000);
        expect(message.getData()).toEqual(sent[i].data);
        expect(message.getPartitionKey()).toBe(sent[i].key);
        expect(message.getProperties()).toEqual(sent[i].properties);
        expect(message.getEventTimestamp()).toBe(sent[i].eventTime);
        expectSameId(message.getMessageId(), ids[i]);
        await consumer.acknowledge(message);
      }
    },
  );

  it.each(COMPRESSIONS)(
    'produces a batched %s stream that Java consumes with identical payloads, keys, properties, event times and ids',
    async (_javaCompression, compressionType) => {
      const topic = uniqueTopic(`interop-to-java-${compressionType.toLowerCase()}`);
      const producer = await client.createProducer({ topic, compressionType, batchingMaxMessages: 20 });
      const sent = sampleMessages(80);
      const ids = await Promise.all(
        sent.map((message) =>
          producer.send({
            data: message.data,
            partitionKey: message.key,
            properties: message.properties,
            eventTimestamp: message.eventTime,
          }),
        ),
      );
      expect(ids.some((id) => id.batchIndex > 0)).toBe(true);
      const received = await java.consume(topic, 'java', sent.length);
      received.forEach((message, i) => {
        expect(Buffer.from(message.data, 'base64')).toEqual(sent[i].data);
        expect(message.key).toBe(sent[i].key);
        expect(message.properties).toEqual(sent[i].properties);
        expect(message.eventTime).toBe(sent[i].eventTime);
        expectSameId(ids[i], message.id);
      });
    },
  );

  it('routes every key of a partitioned topic to the partition the Java default router picks', async () => {
    const topic = uniqueTopic('interop-routing');
    await createPartitionedTopic(topic, 5);
    const keys = [
      ...Array.from({ length: 40 }, (_, i) => `key-${i}`),
      'ünïcødé',
      '日本語のキー',
      'emoji-🚀',
      '',
    ];
    const javaIds = await java.produce({
      topic,
      compression: 'NONE',
      batching: false,
      messages: keys.map((key) => ({ data: Buffer.from(key), key })),
    });
    const producer: Producer = await client.createProducer({ topic, batchingEnabled: false });
    const tsIds = await Promise.all(
      keys.map((key) => producer.send({ data: Buffer.from(key), partitionKey: key })),
    );
    expect(tsIds.map((id) => id.partition)).toEqual(javaIds.map((id) => id.partition));
    expect(new Set(tsIds.map((id) => id.partition)).size).toBeGreaterThan(1);
  });

  it('writes a dead-letter topic that Java drains with REAL_TOPIC, ORIGIN_MESSAGE_ID, key and event time', async () => {
    const topic = uniqueTopic('interop-dlq');
    const consumer = await client.subscribe({
      topic,
      subscription: 'work',
      subscriptionType: 'Shared',
      nAckRedeliverTimeoutMs: 100,
      deadLetterPolicy: { maxRedeliverCount: 1, initialSubscriptionName: 'java-drain' },
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const sent = await producer.send({
      data: Buffer.from('poison'),
      partitionKey: 'k-1',
      properties: { origin: 'gyre' },
      eventTimestamp: 1_700_000_000_123,
    });
    for (let i = 0; i < 2; i++) consumer.negativeAcknowledge(await consumer.receive(10_000));
    const [dead] = await java.consume(`${topic}-work-DLQ`, 'java-drain', 1);
    expect(Buffer.from(dead.data, 'base64').toString()).toBe('poison');
    expect(dead.key).toBe('k-1');
    expect(dead.eventTime).toBe(1_700_000_000_123);
    expect(dead.properties).toEqual({
      origin: 'gyre',
      REAL_TOPIC: topic,
      REAL_SUBSCRIPTION: 'work',
      ORIGIN_MESSAGE_ID: sent.toJavaString(),
      ORIGIN_MESSAGE_IDY_TIME: sent.toJavaString(),
    });
  });

  it('hands a message reconsumed here to a Java retry consumer, which counts on and dead-letters it', async () => {
    const topic = uniqueTopic('interop-retry-to-java');
    const consumer = await client.subscribe({
      topic,
      subscription: 'work',
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
      enableRetry: true,
      deadLetterPolicy: { maxRedeliverCount: 2 },
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const sent = await producer.send({ data: Buffer.from('retry me'), partitionKey: 'k-2' });
    await consumer.reconsumeLater(await consumer.receive(10_000), 100, { stage: 'ts' });
    await consumer.close();
    const seen = await java.reconsume({
      topic,
      subscription: 'work',
      count: 2,
      maxRedeliverCount: 2,
      delayMs: 100,
    });
    expect(seen.map((message) => message.topic)).toEqual([`${topic}-work-RETRY`, `${topic}-work-RETRY`]);
    expect(seen.map((message) => message.properties.RECONSUMETIMES)).toEqual(['1', '2']);
    expect(seen[0].key).toBe('k-2');
    const dead = await readAll(client, `${topic}-work-DLQ`);
    expect(dead).toHaveLength(1);
    expect(dead[0].getData().toString()).toBe('retry me');
    expect(dead[0].getProperties()).toMatchObject({
      stage: 'ts',
      RECONSUMETIMES: '3',
      REAL_TOPIC: topic,
      REAL_SUBSCRIPTION: 'work',
      ORIGIN_MESSAGE_ID: sent.toJavaString(),
    });
  });

  it('continues the count of a message Java reconsumed and dead-letters it where Java drains it', async () => {
    const topic = uniqueTopic('interop-retry-from-java');
    const [javaId] = await java.produce({
      topic,
      compression: 'NONE',
      batching: false,
      messages: [{ data: Buffer.from('from java'), key: 'k-3', properties: { stage: 'java' } }],
    });
    await java.reconsume({ topic, subscription: 'work', count: 1, maxRedeliverCount: 2, delayMs: 100 });
    const consumer = await client.subscribe({
      topic,
      subscription: 'work',
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
      enableRetry: true,
      deadLetterPolicy: { maxRedeliverCount: 2 },
    });
    const retried = await consumer.receive(10_000);
    expect(retried.getTopicName()).toBe(`${topic}-work-RETRY`);
    expect(retried.getProperties()).toMatchObject({
      RECONSUMETIMES: '1',
      REAL_TOPIC: topic,
      ORIGIN_MESSAGE_ID: javaId.text,
    });
    await consumer.reconsumeLater(retried, 100);
    await consumer.reconsumeLater(await consumer.receive(10_000), 100);
    const [dead] = await java.consume(`${topic}-work-DLQ`, 'java-drain', 1);
    expect(Buffer.from(dead.data, 'base64').toString()).toBe('from java');
    expect(dead.key).toBe('k-3');
    expect(dead.properties).toMatchObject({
      stage: 'java',
      RECONSUMETIMES: '3',
      ORIGIN_MESSAGE_ID: javaId.text,
    });
  });

  it("parses Java's MessageId.toByteArray() bytes and writes bytes that Java's fromByteArray reads back", async () => {
    const topic = uniqueTopic('interop-ids');
    const javaIds = await java.produce({
      topic,
      compression: 'NONE',
      batching: true,
      batchingMaxMessages: 3,
      messages: sampleMessages(6),
    });
    for (const javaId of javaIds) {
      const parsed = MessageId.deserialize(Buffer.from(javaId.bytes, 'base64'));
      expectSameId(parsed, javaId);
      expect(parsed.batchSize).toBe(javaId.batchSize);
    }
    const ours = [
      new MessageId(12_345_678_901n, 42n, -1, -1, 0),
      new MessageId(7n, 3n, 2, 1, 4),
      new MessageId(9_007_199_254_740_993n, 0n, 0, 0, 1),
    ];
    for (const id of ours) {
      const javaView = await java.parseMessageId(id.serialize());
      expectSameId(id, javaView);
      expect(javaView.batchSize).toBe(id.batchSize);
      expect(MessageId.deserialize(Buffer.from(javaView.bytes, 'base64')).equals(id)).toBe(true);
    }
  });
});
