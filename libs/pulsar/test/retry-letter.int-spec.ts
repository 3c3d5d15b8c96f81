import { readAll, subscriptionBacklog, testPulsarClient, uniqueTopic, waitFor } from '../../../tools/testing';
import { Client } from '../src';

describe('retry-letter topics (reconsumeLater) on the real broker', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  it('publishes to <topic>-<subscription>-RETRY with the Java properties, redelivers after the delay, then dead-letters', async () => {
    const topic = uniqueTopic('retry');
    const consumer = await client.subscribe({
      topic,
      subscription: 'work',
      subscriptionType: 'Shared',
      enableRetry: true,
      deadLetterPolicy: { maxRedeliverCount: 2 },
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const sent = await producer.send({
      data: Buffer.from('try again'),
      partitionKey: 'k',
      properties: { origin: 'test' },
      eventTimestamp: 1_700_000_000_456,
    });
    const first = await consumer.receive(10_000);
    const reconsumedAt = Date.now();
    await consumer.reconsumeLater(first, 1500, { reason: 'busy' });
    const second = await consumer.receive(10_000);
    expect(Date.now() - reconsumedAt).toBeGreaterThanOrEqual(1400);
    expect(second.getTopicName()).toBe(`${topic}-work-RETRY`);
    expect(second.getData().toString()).toBe('try again');
    expect(second.getPartitionKey()).toBe('k');
    expect(second.getEventTimestamp()).toBe(1_700_000_000_456);
    expect(second.getProperties()).toEqual({
      origin: 'test',
      reason: 'busy',
      REAL_TOPIC: topic,
      REAL_SUBSCRIPTION: 'work',
      ORIGIN_MESSAGE_ID: sent.toJavaString(),
      ORIGIN_MESSAGE_IDY_TIME: sent.toJavaString(),
      RECONSUMETIMES: '1',
      DELAY_TIME: '1500',
    });
    await waitFor(async () => (await subscriptionBacklog(topic, 'work')) === 0, {
      description: 'the original acked',
    });

    await consumer.reconsumeLater(second, 50);
    const third = await consumer.receive(10_000);
    expect(third.getProperties()).toMatchObject({
      RECONSUMETIMES: '2',
      ORIGIN_MESSAGE_ID: sent.toJavaString(),
    });
    await consumer.reconsumeLater(third, 50);
    await expect(consumer.receive(1000)).rejects.toMatchObject({ code: 'TIMEOUT' });
    const dead = await readAll(client, `${topic}-work-DLQ`);
    expect(dead.map((message) => message.getProperties())).toEqual([
      expect.objectContaining({
        RECONSUMETIMES: '3',
        REAL_TOPIC: topic,
        ORIGIN_MESSAGE_ID: sent.toJavaString(),
      }),
    ]);
    expect(dead[0].getPartitionKey()).toBe('k');
    await waitFor(async () => (await subscriptionBacklog(`${topic}-work-RETRY`, 'work')) === 0, {
      description: 'the retry letters acked',
    });
  });

  it('uses the configured retry and dead-letter topics and names REAL_TOPIC without the partition suffix', async () => {
    const topic = uniqueTopic('retry-named');
    const retryLetterTopic = uniqueTopic('my-retry');
    const deadLetterTopic = uniqueTopic('my-dlq');
    const consumer = await client.subscribe({
      topic,
      subscription: 'work',
      subscriptionType: 'KeyShared',
      subscriptionInitialPosition: 'Earliest',
      enableRetry: true,
      deadLetterPolicy: { maxRedeliverCount: 1, retryLetterTopic, deadLetterTopic },
    });
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('x'), partitionKey: 'a' });
    await consumer.reconsumeLater(await consumer.receive(10_000), 0);
    const retried = await consumer.receive(10_000);
    expect(retried.getTopicName()).toBe(retryLetterTopic);
    expect(retried.getProperties()).toMatchObject({ REAL_TOPIC: topic, DELAY_TIME: '0' });
    await consumer.reconsumeLater(retried, 0);
    expect((await readAll(client, deadLetterTopic)).map((m) => m.getData().toString())).toEqual(['x']);
  });

  it('refuses reconsumeLater on a consumer without enableRetry, leaving the message to be acked', async () => {
    const topic = uniqueTopic('retry-off');
    const consumer = await client.subscribe({ topic, subscription: 's', subscriptionType: 'Shared' });
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('x') });
    const message = await consumer.receive(10_000);
    await expect(consumer.reconsumeLater(message, 10)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await consumer.acknowledge(message);
  });
});
