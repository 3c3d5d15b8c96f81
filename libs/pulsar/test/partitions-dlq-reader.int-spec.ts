import type { Duplex } from 'node:stream';
import { createPartitionedTopic, testEndpoints, testPulsarClient, uniqueTopic } from '../../../tools/testing';
import { Client, Message, MessageId, Reader, javaStringHash } from '../src';
import { defaultSocketFactory } from '../src/connection/socket';

const endpoints = testEndpoints();

describe('partitioned topics, dead letters, readers and reconnects on the real broker', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  it('routes a key to the partition the Java client picks (JavaStringHash mod N) and consumes all partitions', async () => {
    const topic = uniqueTopic('part');
    await createPartitionedTopic(topic, 3);
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({ topic });
    const keys = ['alpha', 'beta', 'gamma', 'delta', 'keykeykey2'];
    const ids = await Promise.all(
      keys.map((key) => producer.send({ data: Buffer.from(key), partitionKey: key })),
    );
    ids.forEach((id, i) => expect(id.partition).toBe(javaStringHash(keys[i]) % 3));
    const received = new Set<string>();
    for (let i = 0; i < keys.length; i++) {
      const message = await consumer.receive(10_000);
      expect(message.getTopicName()).toBe(`${topic}-partition-${message.getMessageId().partition}`);
      received.add(message.getData().toString());
      await consumer.acknowledge(message);
    }
    expect([...received].sort()).toEqual([...keys].sort());
  });

  it('moves a message redelivered past maxRedeliverCount to <topic>-<subscription>-DLQ with the Java properties', async () => {
    const topic = uniqueTopic('dlq');
    const consumer = await client.subscribe({
      topic,
      subscription: 'work',
      subscriptionType: 'Shared',
      nAckRedeliverTimeoutMs: 100,
      deadLetterPolicy: { maxRedeliverCount: 2, initialSubscriptionName: 'drain' },
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const sent = await producer.send({
      data: Buffer.from('poison'),
      partitionKey: 'k',
      properties: { origin: 'test' },
    });
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const message = await consumer.receive(10_000);
      counts.push(message.getRedeliveryCount());
      consumer.negativeAcknowledge(message);
    }
    expect(counts).toEqual([0, 1, 2]);
    const dlq = await client.subscribe({ topic: `${topic}-work-DLQ`, subscription: 'drain' });
    const dead = await dlq.receive(15_000);
    expect(dead.getData().toString()).toBe('poison');
    expect(dead.getPartitionKey()).toBe('k');
    expect(dead.getProperties()).toEqual({
      origin: 'test',
      REAL_TOPIC: topic,
      REAL_SUBSCRIPTION: 'work',
      ORIGIN_MESSAGE_ID: sent.toJavaString(),
      ORIGIN_MESSAGE_IDY_TIME: sent.toJavaString(), // the Java client's legacy spelling, written alongside
    });
    await expect(consumer.receive(500)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('reads from earliest, from a message id exclusively and inclusively, and reports hasMessageAvailable', async () => {
    const topic = uniqueTopic('reader');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const ids: MessageId[] = [];
    for (let i = 0; i < 5; i++) ids.push(await producer.send({ data: Buffer.from(String(i)) }));
    const readToEnd = async (reader: Reader): Promise<string[]> => {
      const out: string[] = [];
      while (await reader.hasMessageAvailable())
        out.push((await reader.readNext(10_000)).getData().toString());
      return out;
    };
    expect(
      await readToEnd(await client.createReader({ topic, startMessageId: MessageId.earliest() })),
    ).toEqual(['0', '1', '2', '3', '4']);
    expect(await readToEnd(await client.createReader({ topic, startMessageId: ids[2] }))).toEqual(['3', '4']);
    expect(
      await readToEnd(
        await client.createReader({ topic, startMessageId: ids[2], startMessageIdInclusive: true }),
      ),
    ).toEqual(['2', '3', '4']);
    const latest = await client.createReader({ topic, startMessageId: MessageId.latest() });
    expect(await latest.hasMessageAvailable()).toBe(false);
  });

  it('reads a batched entry from the middle of the batch, skipping earlier indexes', async () => {
    const topic = uniqueTopic('reader-batch');
    const producer = await client.createProducer({ topic, batchingMaxPublishDelayMs: 50 });
    const ids = await Promise.all(
      Array.from({ length: 4 }, (_, i) => producer.send({ data: Buffer.from(String(i)) })),
    );
    const reader = await client.createReader({ topic, startMessageId: ids[1] });
    expect((await reader.readNext(10_000)).getData().toString()).toBe('2');
  });

  it('seeks a subscription back to just after a message id and to a publish time', async () => {
    const topic = uniqueTopic('seek');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const ids: MessageId[] = [];
    for (let i = 0; i < 4; i++) ids.push(await producer.send({ data: Buffer.from(String(i)) }));
    const all: Message[] = [];
    for (let i = 0; i < 4; i++) all.push(await consumer.receive(10_000));
    await consumer.seek(ids[1]);
    // As the official client: the next message is the one after the id sought.
    expect((await consumer.receive(10_000)).getData().toString()).toBe('2');
    await consumer.seekTimestamp(all[3].getPublishTimestamp());
    expect((await consumer.receive(10_000)).getData().toString()).toBe('3');
  });

  it('resends pending messages in order after the connection drops, and the consumer continues', async () => {
    const sockets: Duplex[] = [];
    const flaky = new Client({
      serviceUrl: endpoints.pulsarServiceUrl,
      backoff: { initialMs: 50, maxMs: 500 },
      socketFactory: async (options) => {
        const socket = await defaultSocketFactory(options);
        sockets.push(socket);
        return socket;
      },
    });
    const reconnects: string[] = [];
    flaky.on('reconnected', (event) => reconnects.push(event.kind));
    try {
      const topic = uniqueTopic('reconnect');
      const consumer = await flaky.subscribe({
        topic,
        subscription: 'sub',
        subscriptionInitialPosition: 'Earliest',
      });
      const producer = await flaky.createProducer({ topic, batchingEnabled: false });
      const sends = Array.from({ length: 200 }, (_, i) => producer.send({ data: Buffer.from(String(i)) }));
      for (const socket of sockets) socket.destroy();
      const ids = await Promise.all(sends);
      for (let i = 1; i < ids.length; i++) expect(ids[i].compareTo(ids[i - 1])).toBe(1);
      const seen: number[] = [];
      while (seen.length < 200) {
        const message = await consumer.receive(15_000);
        seen.push(Number(message.getData().toString()));
        await consumer.acknowledge(message);
      }
      expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(reconnects).toEqual(expect.arrayContaining(['producer', 'consumer']));
    } finally {
      await flaky.close();
    }
  });
});
