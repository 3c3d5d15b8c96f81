import { randomBytes } from 'node:crypto';
import { subscriptionBacklog, testPulsarClient, uniqueTopic, waitFor } from '../../../tools/testing';
import { Client, ClientEvents, Consumer, InvalidArgumentError, Message, MessageId, Producer } from '../src';
import { RawChunkProducer } from './raw-chunks';

/** Above the stack broker's 5 MiB maxMessageSize: the message travels as two chunks. */
const LARGE = 5 * 1024 * 1024 + 64 * 1024;

/** Chunked messages (chunkingEnabled), as the official clients, on the real broker (`npm run test:compat`). */
describe('Chunked messages on the real broker', () => {
  let client: Client;
  const discarded: Array<ClientEvents['messageDiscarded']> = [];
  beforeEach(() => {
    client = testPulsarClient();
    discarded.length = 0;
    client.on('messageDiscarded', (event) => discarded.push(event));
  });
  afterEach(() => client.close());

  function chunkingProducer(topic: string, compressionType: 'None' | 'LZ4' = 'None'): Promise<Producer> {
    return client.createProducer({ topic, chunkingEnabled: true, batchingEnabled: false, compressionType });
  }

  function subscribe(topic: string, subscription: string, extra: object = {}): Promise<Consumer> {
    return client.subscribe({ topic, subscription, subscriptionInitialPosition: 'Earliest', ...extra });
  }

  async function settled(topic: string, subscription: string): Promise<void> {
    await waitFor(async () => (await subscriptionBacklog(topic, subscription)) === 0, {
      description: `${subscription} to have acked every chunk`,
    });
  }

  it('sends a payload above the max message size as chunks and delivers it byte for byte', async () => {
    const topic = uniqueTopic('chunk-roundtrip');
    const consumer = await subscribe(topic, 'sub');
    const producer = await chunkingProducer(topic);
    const data = randomBytes(LARGE);
    const sent = await producer.send({ data, partitionKey: 'k', properties: { kind: 'large' } });
    expect(sent.firstChunkId).toBeDefined();
    expect(sent.firstChunkId!.compareTo(sent)).toBeLessThan(0);

    const message = await consumer.receive(30_000);
    expect(message.getData().equals(data)).toBe(true);
    expect(message.getPartitionKey()).toBe('k');
    expect(message.getProperties()).toEqual({ kind: 'large' });
    expect(message.getMessageId().equals(sent)).toBe(true);
    expect(message.getMessageId().firstChunkId!.equals(sent.firstChunkId!)).toBe(true);
    // The broker stored two entries: acking the message acks both.
    expect(await subscriptionBacklog(topic, 'sub')).toBe(2);
    await consumer.acknowledge(message);
    await settled(topic, 'sub');
  });

  it('chunks the compressed payload and decompresses the reassembled message', async () => {
    const topic = uniqueTopic('chunk-lz4');
    const consumer = await subscribe(topic, 'sub');
    const producer = await chunkingProducer(topic, 'LZ4');
    const data = randomBytes(LARGE); // random bytes do not compress: still above the limit once compressed
    const sent = await producer.send({ data });
    expect(sent.firstChunkId).toBeDefined();
    const message = await consumer.receive(30_000);
    expect(message.getData().equals(data)).toBe(true);
    await consumer.acknowledge(message);
    await settled(topic, 'sub');
  });

  it('sends a message that fits as one entry, not as chunks', async () => {
    const topic = uniqueTopic('chunk-small');
    const consumer = await subscribe(topic, 'sub');
    const producer = await chunkingProducer(topic);
    const sent = await producer.send({ data: Buffer.from('small') });
    expect(sent.firstChunkId).toBeUndefined();
    const message = await consumer.receive(30_000);
    expect(message.getData().toString()).toBe('small');
    expect(message.getMessageId().firstChunkId).toBeUndefined();
  });

  it('reassembles the interleaved chunks of two producers', async () => {
    const topic = uniqueTopic('chunk-interleaved');
    const consumer = await subscribe(topic, 'sub');
    const first = await RawChunkProducer.create(client, topic);
    const second = await RawChunkProducer.create(client, topic);
    const a = first.message(`${first.producerName}-a`, [
      Buffer.from('a0'),
      Buffer.from('a1'),
      Buffer.from('a2'),
    ]);
    const b = second.message(`${second.producerName}-b`, [Buffer.from('b0'), Buffer.from('b1')]);
    await first.sendChunk(a, 0);
    await second.sendChunk(b, 0);
    await first.sendChunk(a, 1);
    await second.sendChunk(b, 1);
    await first.sendChunk(a, 2);

    const one = await consumer.receive(30_000);
    const two = await consumer.receive(30_000);
    expect([one.getData().toString(), two.getData().toString()]).toEqual(['b0b1', 'a0a1a2']);
    await consumer.acknowledge(one);
    await consumer.acknowledge(two);
    await settled(topic, 'sub');
    await Promise.all([first.close(), second.close()]);
  });

  it('on a Shared subscription, gets every chunk of a message to one consumer (broker 2.11+)', async () => {
    const topic = uniqueTopic('chunk-shared');
    const received: string[] = [];
    const listener = async (message: Message, consumer: Consumer): Promise<void> => {
      received.push(message.getData().toString());
      await consumer.acknowledge(message);
    };
    await subscribe(topic, 'sub', { subscriptionType: 'Shared', receiverQueueSize: 1, listener });
    await subscribe(topic, 'sub', { subscriptionType: 'Shared', receiverQueueSize: 1, listener });
    const raw = await RawChunkProducer.create(client, topic);
    const messages = ['a', 'b', 'c'].map((name) =>
      raw.message(
        `${raw.producerName}-${name}`,
        [0, 1].map((part) => Buffer.from(`${name}${part}`)),
      ),
    );
    for (const chunk of [0, 1]) for (const message of messages) await raw.sendChunk(message, chunk);

    await waitFor(() => received.length === 3, { description: 'three whole messages' });
    expect(received.sort()).toEqual(['a0a1', 'b0b1', 'c0c1']);
    expect(discarded).toEqual([]);
    await settled(topic, 'sub');
    await raw.close();
  });

  it('redelivers every chunk of a nacked message, reassembled again, and acks them all', async () => {
    const topic = uniqueTopic('chunk-nack');
    const consumer = await subscribe(topic, 'sub', { subscriptionType: 'Shared' });
    const producer = await chunkingProducer(topic);
    const data = randomBytes(LARGE);
    await producer.send({ data });
    const first = await consumer.receive(30_000);
    consumer.negativeAcknowledge(first, 0);
    const again = await consumer.receive(30_000);
    expect(again.getData().equals(data)).toBe(true);
    expect(again.getRedeliveryCount()).toBe(1);
    expect(again.getMessageId().equals(first.getMessageId())).toBe(true);
    await consumer.acknowledge(again);
    await settled(topic, 'sub');
  });

  it('does not redeliver an acked chunked message to the next consumer of the subscription', async () => {
    const topic = uniqueTopic('chunk-acked');
    const consumer = await subscribe(topic, 'sub');
    const producer = await chunkingProducer(topic);
    await producer.send({ data: randomBytes(LARGE) });
    await consumer.acknowledge(await consumer.receive(30_000));
    await consumer.close();
    await settled(topic, 'sub');
    await producer.send({ data: Buffer.from('after') });
    const next = await subscribe(topic, 'sub');
    expect((await next.receive(30_000)).getData().toString()).toBe('after');
  });

  it('drops and acks an incomplete chunked message once it expires', async () => {
    const topic = uniqueTopic('chunk-expire');
    const consumer = await subscribe(topic, 'sub', { expireTimeOfIncompleteChunkedMessageMs: 100 });
    const raw = await RawChunkProducer.create(client, topic);
    const incomplete = raw.message(`${raw.producerName}-x`, [Buffer.from('x0'), Buffer.from('x1')]);
    await raw.sendChunk(incomplete, 0); // the producer "dies" before its last chunk
    await raw.close();

    await waitFor(() => discarded.some((event) => event.reason === 'chunkExpired'), {
      description: 'the incomplete message to expire',
    });
    await settled(topic, 'sub');
    expect(discarded.find((event) => event.reason === 'chunkExpired')).toMatchObject({
      topic,
      subscription: 'sub',
    });
    await consumer.close();
  });

  it('at maxPendingChunkedMessage, drops the oldest incomplete message (acked with autoAckOldest...)', async () => {
    const topic = uniqueTopic('chunk-queue-full');
    const consumer = await subscribe(topic, 'sub', {
      maxPendingChunkedMessage: 1,
      autoAckOldestChunkedMessageOnQueueFull: true,
    });
    const raw = await RawChunkProducer.create(client, topic);
    const oldest = raw.message(`${raw.producerName}-old`, [Buffer.from('o0'), Buffer.from('o1')]);
    const newest = raw.message(`${raw.producerName}-new`, [Buffer.from('n0'), Buffer.from('n1')]);
    await raw.sendChunk(oldest, 0);
    await raw.sendChunk(newest, 0);
    await raw.sendChunk(newest, 1);
    await raw.sendChunk(oldest, 1); // too late: its first chunk was dropped

    const message = await consumer.receive(30_000);
    expect(message.getData().toString()).toBe('n0n1');
    await consumer.acknowledge(message);
    expect(discarded.map((event) => event.reason)).toContain('chunkQueueFull');
    // o1 is left unacked (its message cannot be whole; it expires in 60 s): o0, n0, n1 are acked.
    await waitFor(async () => (await subscriptionBacklog(topic, 'sub')) === 1, {
      description: 'every chunk but the orphan o1 to be acked',
    });
    await raw.close();
  });

  it('dead-letters a chunked message whole (the dead-letter producer chunks too)', async () => {
    const topic = uniqueTopic('chunk-dlq');
    const consumer = await subscribe(topic, 'work', {
      subscriptionType: 'Shared',
      deadLetterPolicy: { maxRedeliverCount: 1, initialSubscriptionName: 'drain' },
    });
    const producer = await chunkingProducer(topic);
    const data = randomBytes(LARGE);
    const sent = await producer.send({ data });
    for (let attempt = 0; attempt < 2; attempt++)
      consumer.negativeAcknowledge(await consumer.receive(30_000), 0);
    const dlq = await subscribe(`${topic}-work-DLQ`, 'drain');
    const dead = await dlq.receive(30_000);
    expect(dead.getData().equals(data)).toBe(true);
    expect(dead.getMessageId().firstChunkId).toBeDefined();
    expect(dead.getProperties()).toMatchObject({ ORIGIN_MESSAGE_ID: sent.toJavaString() });
    await settled(topic, 'work');
  });

  it('lets a reader read a chunked message whole', async () => {
    const topic = uniqueTopic('chunk-reader');
    const producer = await chunkingProducer(topic);
    const data = randomBytes(LARGE);
    const sent = await producer.send({ data });
    await producer.send({ data: Buffer.from('next') });
    const reader = await client.createReader({ topic, startMessageId: MessageId.earliest() });
    const first = await reader.readNext(30_000);
    expect(first.getData().equals(data)).toBe(true);
    expect(first.getMessageId().equals(sent)).toBe(true);
    expect((await reader.readNext(30_000)).getData().toString()).toBe('next');
  });

  it('refuses chunkingEnabled with batching on, as the official clients', async () => {
    const topic = uniqueTopic('chunk-batching');
    await expect(client.createProducer({ topic, chunkingEnabled: true })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(client.createProducer({ topic, chunkingEnabled: true })).rejects.toThrow(
      /batching and chunking cannot be enabled together/,
    );
  });

  it('still refuses an oversized message without chunking', async () => {
    const topic = uniqueTopic('chunk-off');
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await expect(producer.send({ data: randomBytes(LARGE) })).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
    });
  });
});
