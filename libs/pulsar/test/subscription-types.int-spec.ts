import { testPulsarClient, uniqueTopic, waitFor } from '../../../tools/testing';
import { Client, Consumer, ConsumerConfig, Message } from '../src';

interface Delivery {
  consumer: string;
  key?: string;
  data: string;
}

describe('Key_Shared and Failover subscriptions and the listener API on the real broker', () => {
  let client: Client;
  let deliveries: Delivery[];
  beforeEach(() => {
    client = testPulsarClient();
    deliveries = [];
  });
  afterEach(() => client.close());

  /** A consumer whose listener records each message under `name` and acknowledges it. */
  function listen(name: string, config: Omit<ConsumerConfig, 'listener'>): Promise<Consumer> {
    return client.subscribe({
      ...config,
      consumerName: name,
      listener: async (message: Message, consumer: Consumer) => {
        deliveries.push({
          consumer: name,
          key: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
          data: message.getData().toString(),
        });
        await consumer.acknowledge(message);
      },
    });
  }

  it('hands every message to the listener, which then owns the consumer (receive is refused)', async () => {
    const topic = uniqueTopic('listener');
    const consumer = await listen('only', { topic, subscription: 'sub' });
    const producer = await client.createProducer({ topic });
    await Promise.all(Array.from({ length: 30 }, (_, i) => producer.send({ data: Buffer.from(String(i)) })));
    await waitFor(() => deliveries.length === 30, { description: '30 deliveries' });
    expect(deliveries.map((delivery) => delivery.data)).toEqual(
      Array.from({ length: 30 }, (_, i) => String(i)),
    );
    await expect(consumer.receive(100)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('redelivers a message whose listener throws', async () => {
    const topic = uniqueTopic('listener-throws');
    const attempts: number[] = [];
    await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionType: 'Shared',
      nAckRedeliverTimeoutMs: 100,
      listener: async (message, consumer) => {
        attempts.push(message.getRedeliveryCount());
        if (attempts.length === 1) throw new Error('handler failed');
        await consumer.acknowledge(message);
      },
    });
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('flaky') });
    await waitFor(() => attempts.length === 2, { description: 'a redelivery after the throw' });
    expect(attempts).toEqual([0, 1]);
  });

  it('Key_Shared gives each key to exactly one consumer, in order, and uses both consumers', async () => {
    const topic = uniqueTopic('key-shared');
    const config = { topic, subscription: 'sub', subscriptionType: 'KeyShared' as const };
    await listen('a', config);
    await listen('b', config);
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const keys = Array.from({ length: 16 }, (_, i) => `key-${i}`);
    for (let round = 0; round < 8; round++) {
      await Promise.all(
        keys.map((key) => producer.send({ data: Buffer.from(`${key}/${round}`), partitionKey: key })),
      );
    }
    await waitFor(() => deliveries.length === keys.length * 8, { description: 'every message delivered' });
    for (const key of keys) {
      const ofKey = deliveries.filter((delivery) => delivery.key === key);
      expect(new Set(ofKey.map((delivery) => delivery.consumer)).size).toBe(1);
      expect(ofKey.map((delivery) => delivery.data)).toEqual(
        Array.from({ length: 8 }, (_, round) => `${key}/${round}`),
      );
    }
    expect(new Set(deliveries.map((delivery) => delivery.consumer))).toEqual(new Set(['a', 'b']));
  });

  it('Failover delivers to one active consumer and moves to the standby when it closes', async () => {
    const topic = uniqueTopic('failover');
    const config = { topic, subscription: 'sub', subscriptionType: 'Failover' as const };
    const consumers = { a: await listen('a', config), b: await listen('b', config) };
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    for (let i = 0; i < 20; i++) await producer.send({ data: Buffer.from(`first-${i}`) });
    await waitFor(() => deliveries.length === 20, { description: 'the first 20 messages' });
    const active = deliveries[0].consumer as 'a' | 'b';
    expect(deliveries.every((delivery) => delivery.consumer === active)).toBe(true);
    await consumers[active].close();
    for (let i = 0; i < 20; i++) await producer.send({ data: Buffer.from(`second-${i}`) });
    await waitFor(() => deliveries.length === 40, { description: 'the standby to take over' });
    const standby = active === 'a' ? 'b' : 'a';
    expect(deliveries.slice(20).every((delivery) => delivery.consumer === standby)).toBe(true);
    expect(deliveries.slice(20).map((delivery) => delivery.data)).toEqual(
      Array.from({ length: 20 }, (_, i) => `second-${i}`),
    );
  });
});
