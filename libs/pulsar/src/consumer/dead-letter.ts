import type { Producer } from '../producer/producer';
import type { ProducerConfig } from '../producer/options';
import { Message } from './message';
import { DeadLetterPolicy } from './options';

export const PROPERTY_REAL_TOPIC = 'REAL_TOPIC';
export const PROPERTY_ORIGIN_MESSAGE_ID = 'ORIGIN_MESSAGE_ID';

/** The Java client's default DLQ name: `<topic>-<subscription>-DLQ`. */
export function defaultDeadLetterTopic(topic: string, subscription: string): string {
  return `${topic}-${subscription}-DLQ`;
}

/**
 * Diverts a message delivered more than maxRedeliverCount times to the dead-letter topic, as a copy
 * with the Java client's properties (REAL_TOPIC, ORIGIN_MESSAGE_ID), key and event time kept.
 */
export class DeadLetterRouter {
  readonly topic: string;
  private producer?: Promise<Producer>;

  constructor(
    private readonly policy: DeadLetterPolicy,
    sourceTopic: string,
    subscription: string,
    private readonly createProducer: (config: ProducerConfig) => Promise<Producer>,
  ) {
    this.topic = policy.deadLetterTopic ?? defaultDeadLetterTopic(sourceTopic, subscription);
  }

  shouldDivert(message: Message): boolean {
    return message.getRedeliveryCount() > this.policy.maxRedeliverCount;
  }

  async divert(message: Message): Promise<void> {
    this.producer ??= this.createProducer({
      topic: this.topic,
      batchingEnabled: false,
      initialSubscriptionName: this.policy.initialSubscriptionName,
    });
    const producer = await this.producer.catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    await producer.send({
      data: message.getData(),
      properties: {
        ...message.getProperties(),
        [PROPERTY_REAL_TOPIC]: message.getTopicName(),
        [PROPERTY_ORIGIN_MESSAGE_ID]: message.getMessageId().toString(),
      },
      partitionKey: message.getPartitionKey(),
      orderingKey: message.getOrderingKey()?.toString(),
      eventTimestamp: message.getEventTimestamp() || undefined,
    });
  }

  async close(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.close();
  }
}
