import { testPulsarClient, uniqueTopic } from '../../../tools/testing';
import { Client, Consumer, MessageId, Producer } from '../src';

describe(`${Producer.name} and ${Consumer.name} on the real broker`, () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  it.each(['None', 'LZ4', 'Zlib', 'ZSTD', 'SNAPPY'] as const)(
    'delivers a batched %s-compressed stream in order with keys, properties and event time',
    async (compressionType) => {
      const topic = uniqueTopic(`pc-${compressionType.toLowerCase()}`);
      const consumer = await client.subscribe({
        topic,
        subscription: 'sub',
        subscriptionInitialPosition: 'Earliest',
      });
      const producer = await client.createProducer({ topic, compressionType, batchingMaxMessages: 50 });
      const sends = Array.from({ length: 120 }, (_, i) =>
        producer.send({
          data: Buffer.from(`message-${i}-${'x'.repeat(i)}`),
          partitionKey: `key-${i % 3}`,
          properties: { index: String(i) },
          eventTimestamp: 1_700_000_000_000 + i,
        }),
      );
      const ids = await Promise.all(sends);
      expect(ids.some((id) => id.batchIndex > 0)).toBe(true);
      for (let i = 0; i < 120; i++) {
        const message = await consumer.receive(10_000);
        expect(message.getData().toString()).toBe(`message-${i}-${'x'.repeat(i)}`);
        expect(message.getPartitionKey()).toBe(`key-${i % 3}`);
        expect(message.getProperties()).toEqual({ index: String(i) });
        expect(message.getEventTimestamp()).toBe(1_700_000_000_000 + i);
        expect(message.getMessageId().equals(ids[i])).toBe(true);
        await consumer.acknowledge(message);
      }
    },
  );

  it('resolves each send with a distinct, increasing message id when batching is off', async () => {
    const topic = uniqueTopic('pc-unbatched');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => producer.send({ data: Buffer.from(String(i)) })),
    );
    for (let i = 1; i < ids.length; i++) expect(ids[i].compareTo(ids[i - 1])).toBe(1);
    expect(ids.every((id) => id.batchIndex === -1)).toBe(true);
    expect(MessageId.fromOpaqueString(ids[3].toOpaqueString()).equals(ids[3])).toBe(true);
  });

  it('rejects a message above the broker maximum size with MESSAGE_TOO_LARGE and keeps working', async () => {
    const topic = uniqueTopic('pc-oversize');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await expect(producer.send({ data: Buffer.alloc(6 * 1024 * 1024) })).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
    });
    await expect(producer.send({ data: Buffer.from('small') })).resolves.toBeInstanceOf(MessageId);
  });

  it('starts a new subscription at the latest message unless told earliest', async () => {
    const topic = uniqueTopic('pc-latest');
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('before') });
    const consumer = await client.subscribe({ topic, subscription: 'late' });
    await producer.send({ data: Buffer.from('after') });
    expect((await consumer.receive(10_000)).getData().toString()).toBe('after');
  });

  it('redelivers a negatively acknowledged message after the nack delay with its redelivery count', async () => {
    const topic = uniqueTopic('pc-nack');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionType: 'Shared',
      nAckRedeliverTimeoutMs: 300,
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await producer.send({ data: Buffer.from('retry me') });
    const first = await consumer.receive(10_000);
    consumer.negativeAcknowledge(first);
    const again = await consumer.receive(10_000);
    expect(again.getData().toString()).toBe('retry me');
    expect(again.getRedeliveryCount()).toBe(1);
    await consumer.acknowledge(again);
  });

  it('redelivers an unacknowledged message after the ack timeout', async () => {
    const topic = uniqueTopic('pc-acktimeout');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionType: 'Shared',
      ackTimeoutMs: 1000,
    });
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('forgotten') });
    const first = await consumer.receive(10_000);
    const again = await consumer.receive(10_000);
    expect(again.getMessageId().equals(first.getMessageId())).toBe(true);
    expect(again.getRedeliveryCount()).toBe(1);
  });

  it('does not redeliver acknowledged batch messages to a new consumer on the subscription', async () => {
    const topic = uniqueTopic('pc-ack');
    const first = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({
      topic,
      batchingMaxMessages: 10,
      batchingMaxPublishDelayMs: 50,
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send({ data: Buffer.from(String(i)) })));
    for (let i = 0; i < 10; i++) await first.acknowledge(await first.receive(10_000));
    await first.close();
    await producer.send({ data: Buffer.from('next') });
    const second = await client.subscribe({ topic, subscription: 'sub' });
    expect((await second.receive(10_000)).getData().toString()).toBe('next');
  });

  it('moves a cumulative ack over every earlier message', async () => {
    const topic = uniqueTopic('pc-cumulative');
    const first = await client.subscribe({ topic, subscription: 'sub' });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    for (let i = 0; i < 5; i++) await producer.send({ data: Buffer.from(String(i)) });
    let last;
    for (let i = 0; i < 5; i++) last = await first.receive(10_000);
    await first.acknowledgeCumulative(last!);
    await first.close();
    await producer.send({ data: Buffer.from('5') });
    const second = await client.subscribe({ topic, subscription: 'sub' });
    expect((await second.receive(10_000)).getData().toString()).toBe('5');
  });
});
