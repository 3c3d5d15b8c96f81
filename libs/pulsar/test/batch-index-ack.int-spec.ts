import { subscriptionBacklog, testPulsarClient, uniqueTopic, waitFor } from '../../../tools/testing';
import { Client, Consumer, Message } from '../src';
import { sendAsOneEntry } from './helpers';

const payloads = (count: number, prefix = 'm'): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

async function receiveAll(consumer: Consumer, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < count) messages.push(await consumer.receive(30_000));
  return messages;
}

describe('batch-index acknowledgement on the real broker (one batch entry per test)', () => {
  let client: Client;
  beforeEach(() => {
    client = testPulsarClient();
  });
  afterEach(() => client.close());

  /**
   * What comes next after `sentinel` is published: redeliveries are dispatched before new messages, so
   * anything wrongly redelivered arrives before the sentinel does.
   */
  async function nextUntilSentinel(consumer: Consumer, topic: string): Promise<string[]> {
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await producer.send({ data: Buffer.from('sentinel') });
    await producer.close();
    const seen: string[] = [];
    for (;;) {
      const message = await consumer.receive(30_000);
      await consumer.acknowledge(message);
      if (message.getData().toString() === 'sentinel') return seen;
      seen.push(message.getData().toString());
    }
  }

  it('redelivers only the nacked message when 99 of its entry of 100 are acked', async () => {
    const topic = uniqueTopic('bia-99-1');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
      nAckRedeliverTimeoutMs: 100,
    });
    await sendAsOneEntry(client, topic, payloads(100));
    const messages = await receiveAll(consumer, 100);
    for (const message of messages)
      if (message.getData().toString() !== 'm-42') await consumer.acknowledge(message);
    consumer.negativeAcknowledge(
      messages.find((message) => message.getData().toString() === 'm-42')!,
      0,
    );

    const again = await consumer.receive(30_000);
    expect([again.getData().toString(), again.getRedeliveryCount()]).toEqual(['m-42', 1]);
    await consumer.acknowledge(again);
    expect(await nextUntilSentinel(consumer, topic)).toEqual([]);
    await waitFor(async () => (await subscriptionBacklog(topic, 'sub')) === 0, {
      description: 'an empty backlog',
    });
  });

  it('holds a nacked message back until its in-flight siblings are settled, then redelivers only it', async () => {
    const topic = uniqueTopic('bia-held');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionType: 'Shared',
      subscriptionInitialPosition: 'Earliest',
      nAckRedeliverTimeoutMs: 100,
    });
    await sendAsOneEntry(client, topic, payloads(10));
    const messages = await receiveAll(consumer, 10);
    const byName = new Map(messages.map((message) => [message.getData().toString(), message]));
    consumer.negativeAcknowledge(byName.get('m-3')!, 0);
    for (const [name, message] of byName)
      if (name !== 'm-3' && name !== 'm-5') await consumer.acknowledge(message);
    // m-5 is still being processed: asking for the entry now would hand m-5 out a second time.
    await expect(consumer.receive(1000)).rejects.toMatchObject({ code: 'TIMEOUT' });
    await consumer.acknowledge(byName.get('m-5')!);

    const again = await consumer.receive(30_000);
    expect([again.getData().toString(), again.getRedeliveryCount()]).toEqual(['m-3', 1]);
    await consumer.acknowledge(again);
    expect(await nextUntilSentinel(consumer, topic)).toEqual([]);
  });

  it('honours the ack_set of an entry redelivered to a new consumer after a restart', async () => {
    const topic = uniqueTopic('bia-restart');
    const subscribe = (): Promise<Consumer> =>
      client.subscribe({
        topic,
        subscription: 'sub',
        subscriptionType: 'Shared',
        subscriptionInitialPosition: 'Earliest',
      });
    const first = await subscribe();
    await sendAsOneEntry(client, topic, payloads(10));
    const messages = await receiveAll(first, 10);
    for (const message of messages.slice(0, 7)) await first.acknowledge(message);
    await first.close();

    const second = await subscribe();
    const rest = await receiveAll(second, 3);
    expect(rest.map((message) => message.getData().toString())).toEqual(['m-7', 'm-8', 'm-9']);
    for (const message of rest) await second.acknowledge(message);
    expect(await nextUntilSentinel(second, topic)).toEqual([]);
    await waitFor(async () => (await subscriptionBacklog(topic, 'sub')) === 0, {
      description: 'an empty backlog',
    });
  });
});
