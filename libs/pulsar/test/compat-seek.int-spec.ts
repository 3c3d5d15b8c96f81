import { testPulsarClient, uniqueTopic } from '../../../tools/testing';
import { Client, MessageId } from '../src';
import { sendAsOneEntry } from './helpers';

/** Consumer seek behaves as the official pulsar-client's, on the real broker (`npm run test:compat`). */
describe('Consumer seek compatibility with pulsar-client', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  async function subscribed(topic: string) {
    return client.subscribe({ topic, subscription: 'sub', subscriptionInitialPosition: 'Earliest' });
  }

  it('is attached again when seek() resolves: the next calls do not fail as "reconnecting"', async () => {
    const topic = uniqueTopic('compat-seek-attach');
    const consumer = await subscribed(topic);
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const ids: MessageId[] = [];
    for (let i = 0; i < 3; i++) ids.push(await producer.send({ data: Buffer.from(String(i)) }));
    await consumer.seek(MessageId.earliest());
    expect(consumer.isConnected()).toBe(true);
    await consumer.seek(ids[0]);
    await consumer.seekTimestamp(0);
    expect(consumer.isConnected()).toBe(true);
    const first = await consumer.receive(10_000);
    expect(first.getData().toString()).toBe('0');
    await consumer.acknowledge(first);
  });

  it('delivers the message after the id sought, not the id itself', async () => {
    const topic = uniqueTopic('compat-seek-after');
    const consumer = await subscribed(topic);
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    const ids: MessageId[] = [];
    for (let i = 0; i < 4; i++) ids.push(await producer.send({ data: Buffer.from(String(i)) }));
    for (let i = 0; i < 4; i++) await consumer.acknowledge(await consumer.receive(10_000));
    await consumer.seek(ids[1]);
    expect((await consumer.receive(10_000)).getData().toString()).toBe('2');
    expect((await consumer.receive(10_000)).getData().toString()).toBe('3');
  });

  it('within a batch entry, delivers the messages after the batch index sought', async () => {
    const topic = uniqueTopic('compat-seek-batch');
    const consumer = await subscribed(topic);
    const ids = await sendAsOneEntry(client, topic, ['a', 'b', 'c', 'd']);
    for (let i = 0; i < 4; i++) await consumer.acknowledge(await consumer.receive(10_000));
    await consumer.seek(ids[1]);
    expect((await consumer.receive(10_000)).getData().toString()).toBe('c');
    expect((await consumer.receive(10_000)).getData().toString()).toBe('d');
  });
});
