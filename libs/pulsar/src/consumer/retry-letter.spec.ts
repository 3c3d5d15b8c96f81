import { MessageId } from '../codec/message-id';
import type { Producer } from '../producer/producer';
import type { ProducerConfig, ProducerMessage } from '../producer/options';
import { DeadLetterRouter } from './dead-letter';
import { letterProperties, withoutPartition } from './letter-topics';
import { Message } from './message';
import { RetryLetterRouter } from './retry-letter';

const message = (properties: Record<string, string>, topic = 'persistent://t/n/in') =>
  new Message({
    topic,
    id: new MessageId(5n, 6n, -1),
    data: Buffer.from('m'),
    properties,
    publishTimestamp: 1,
    eventTimestamp: 2,
    redeliveryCount: 0,
    partitionKey: 'k',
    producerName: 'p',
    sequenceId: 0,
    nullValue: false,
  });

function routers(maxRedeliverCount: number) {
  const sent: { topic: string; message: ProducerMessage }[] = [];
  const createProducer = async (config: ProducerConfig) =>
    ({
      send: async (m: ProducerMessage) => {
        sent.push({ topic: config.topic, message: m });
        return MessageId.earliest();
      },
      close: async () => undefined,
    }) as unknown as Producer;
  const dead = new DeadLetterRouter({ maxRedeliverCount }, 'persistent://t/n/in', 'sub', createProducer);
  const retry = new RetryLetterRouter(
    'persistent://t/n/in-sub-RETRY',
    'sub',
    maxRedeliverCount,
    dead,
    createProducer,
  );
  return { sent, retry };
}

describe(RetryLetterRouter.name, () => {
  it('writes the Java properties and RECONSUMETIMES 1 on the first retry, delayed', async () => {
    const { sent, retry } = routers(3);
    expect(await retry.reconsume(message({ a: '1' }), 'persistent://t/n/in', 250, { why: 'x' })).toBe(
      'retry',
    );
    expect(sent).toEqual([
      {
        topic: 'persistent://t/n/in-sub-RETRY',
        message: expect.objectContaining({ partitionKey: 'k', eventTimestamp: 2, deliverAfter: 250 }),
      },
    ]);
    expect(sent[0].message.properties).toEqual({
      a: '1',
      why: 'x',
      REAL_TOPIC: 'persistent://t/n/in',
      REAL_SUBSCRIPTION: 'sub',
      ORIGIN_MESSAGE_ID: '5:6:-1',
      ORIGIN_MESSAGE_IDY_TIME: '5:6:-1',
      RECONSUMETIMES: '1',
      DELAY_TIME: '250',
    });
  });

  it('counts on from the letter’s RECONSUMETIMES, keeps its origin and dead-letters past maxRedeliverCount', async () => {
    const { sent, retry } = routers(3);
    const letter = message(
      { RECONSUMETIMES: '3', REAL_TOPIC: 'persistent://t/n/first', ORIGIN_MESSAGE_ID: '1:2:-1' },
      'persistent://t/n/in-sub-RETRY',
    );
    expect(await retry.reconsume(letter, 'persistent://t/n/in-sub-RETRY', 10)).toBe('dead-letter');
    expect(sent[0].topic).toBe('persistent://t/n/in-sub-DLQ');
    expect(sent[0].message.deliverAfter).toBeUndefined();
    expect(sent[0].message.properties).toMatchObject({
      RECONSUMETIMES: '4',
      REAL_TOPIC: 'persistent://t/n/first',
      ORIGIN_MESSAGE_ID: '1:2:-1',
    });
  });
});

describe(letterProperties.name, () => {
  it('lets the message’s own origin properties win over the current ones', () => {
    expect(letterProperties(message({ REAL_TOPIC: 'orig' }), 'now', 's').REAL_TOPIC).toBe('orig');
  });

  it('names a partition’s topic without its suffix', () => {
    expect(withoutPartition('persistent://t/n/x-partition-3')).toBe('persistent://t/n/x');
    expect(withoutPartition('persistent://t/n/x')).toBe('persistent://t/n/x');
  });
});
