import type { Producer } from '../producer/producer';
import type { ProducerConfig } from '../producer/options';
import { LetterProducer, defaultDeadLetterTopic, letterProperties } from './letter-topics';
import { Message } from './message';
import { DeadLetterPolicy } from './options';

/**
 * Diverts a message delivered more than maxRedeliverCount times to the dead-letter topic, as a copy
 * with the Java client's properties (REAL_TOPIC, ORIGIN_MESSAGE_ID...), key and event time kept.
 */
export class DeadLetterRouter {
  readonly producer: LetterProducer;

  constructor(
    private readonly policy: DeadLetterPolicy,
    sourceTopic: string,
    private readonly subscription: string,
    createProducer: (config: ProducerConfig) => Promise<Producer>,
  ) {
    this.producer = new LetterProducer(
      policy.deadLetterTopic ?? defaultDeadLetterTopic(sourceTopic, subscription),
      createProducer,
      policy.initialSubscriptionName,
    );
  }

  get topic(): string {
    return this.producer.topic;
  }

  shouldDivert(message: Message): boolean {
    return message.getRedeliveryCount() > this.policy.maxRedeliverCount;
  }

  divert(message: Message, realTopic: string): Promise<void> {
    return this.producer.send(message, letterProperties(message, realTopic, this.subscription));
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
