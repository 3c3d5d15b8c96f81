import { MessageId } from '../codec/message-id';
import { CommandType, toBigInt } from '../codec/protocol';
import { FakeBroker } from '../connection/fake-broker';
import { fakeClientContext } from '../fake-client-context';
import { PartitionConsumer } from './partition-consumer';

/** A consumer subscribed on a broker that accepts SUBSCRIBE and CLOSE_CONSUMER and records every command. */
async function subscribedConsumer(): Promise<{ consumer: PartitionConsumer; broker: FakeBroker }> {
  const broker = new FakeBroker();
  broker.onCommand = (command) => {
    const requestId = command.subscribe?.request_id ?? command.close_consumer?.request_id;
    if (requestId !== undefined)
      broker.send({ type: CommandType.SUCCESS, success: { request_id: requestId } });
  };
  const { context } = await fakeClientContext(broker);
  const sink = { deliver: () => undefined, dropQueued: () => 0 };
  const consumer = new PartitionConsumer(
    context,
    {
      topic: 'persistent://public/default/t',
      partition: -1,
      subscription: 'sub',
      subType: 1,
      initialPosition: 1,
      receiverQueueSize: 10,
      durable: true,
    },
    sink,
    true,
  );
  await consumer.start();
  return { consumer, broker };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(PartitionConsumer.name, () => {
  it('sends the grouped acks before asking for a redelivery, so the broker knows what is acked', async () => {
    const { consumer, broker } = await subscribedConsumer();
    consumer.acknowledge(new MessageId(5n, 1n, -1, 0, 3));

    consumer.redeliver([new MessageId(5n, 1n, -1, 2, 3)]);
    await tick();

    const sent = broker.received.filter(
      (command) =>
        command.type === CommandType.ACK || command.type === CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES,
    );
    expect(sent.map((command) => command.type)).toEqual([
      CommandType.ACK,
      CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES,
    ]);
    const [acked] = sent[0].ack!.message_id;
    expect([toBigInt(acked.entryId), acked.ack_set?.map((word) => toBigInt(word))]).toEqual([1n, [0b110n]]);
    await consumer.close();
  });

  it('asks for the last message id again when the broker leaves the first request unanswered', async () => {
    const { consumer, broker } = await subscribedConsumer();
    const subscribeHandler = broker.onCommand;
    let asked = 0;
    broker.onCommand = (command, ...rest) => {
      const request = command.get_last_message_id;
      // The first request goes unanswered, as while a topic's transaction buffer fails to recover.
      if (request && ++asked > 1)
        broker.send({
          type: CommandType.GET_LAST_MESSAGE_ID_RESPONSE,
          get_last_message_id_response: {
            request_id: request.request_id,
            last_message_id: { ledgerId: 7, entryId: 3 },
          },
        });
      else if (!request) subscribeHandler?.(command, ...rest);
    };

    const { last } = await consumer.getLastMessageId();

    expect(asked).toBe(2);
    expect([last.ledgerId, last.entryId]).toEqual([7n, 3n]);
    await consumer.close();
  });

  it('resolves seek() only once resubscribed after the broker closed it, so the next call finds it attached', async () => {
    const { consumer, broker } = await subscribedConsumer();
    const subscribeHandler = broker.onCommand;
    broker.onCommand = (command, ...rest) => {
      const seek = command.seek;
      if (!seek) return subscribeHandler?.(command, ...rest);
      // As the broker: the consumer is closed to apply the seek, before the seek's own reply.
      broker.send({
        type: CommandType.CLOSE_CONSUMER,
        close_consumer: { consumer_id: seek.consumer_id, request_id: 0 },
      });
      broker.send({ type: CommandType.SUCCESS, success: { request_id: seek.request_id } });
    };

    await consumer.seek(new MessageId(5n, 2n));

    expect(consumer.isConnected).toBe(true);
    expect(broker.received.filter((command) => command.type === CommandType.SUBSCRIBE)).toHaveLength(2);
    await consumer.close();
  });
});
