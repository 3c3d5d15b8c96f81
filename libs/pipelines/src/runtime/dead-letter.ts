import type { Consumer, Message, Producer, Transaction } from '@gyre/pulsar';
import { encodeDeadLetter } from './message-codec';

/**
 * The stage's one way to the dead-letter topic: the letter (original bytes, the failure, the attempts),
 * then the ack of the input; both in the transaction when the stage is exactly-once.
 */
export class DeadLetterPath {
  constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly stage: { pipeline: string; stage: string },
  ) {}

  async divert(message: Message, error: unknown, attempts: number, txn?: Transaction): Promise<void> {
    await this.producer.send(
      encodeDeadLetter(
        message,
        { error, attempts, ...this.stage },
        { realTopic: message.getTopicName(), originMessageId: message.getMessageId().toJavaString() },
      ),
      txn,
    );
    await this.consumer.acknowledge(message, txn);
  }
}
