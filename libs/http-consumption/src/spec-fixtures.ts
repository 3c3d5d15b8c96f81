import { Message, MessageId } from '@gyre/pulsar';

/** A message as a subscription's consumer hands it out: entry `entry` of ledger 7, not batched. */
export function testMessage(entry: number): Message {
  return new Message({
    topic: 'persistent://gyre/streams/clicks',
    id: new MessageId(7n, BigInt(entry), -1, -1),
    data: Buffer.from('{}'),
    properties: {},
    publishTimestamp: 0,
    eventTimestamp: 0,
    redeliveryCount: 0,
    producerName: 'p',
    sequenceId: entry,
    nullValue: false,
  });
}
