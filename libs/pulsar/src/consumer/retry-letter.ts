import type { Producer } from '../producer/producer';
import type { ProducerConfig } from '../producer/options';
import { DeadLetterRouter } from './dead-letter';
import {
  LetterProducer,
  PROPERTY_DELAY_TIME,
  PROPERTY_RECONSUMETIMES,
  letterProperties,
} from './letter-topics';
import { Message } from './message';

/**
 * reconsumeLater as the Java client does it: the message goes to the retry-letter topic (which the
 * consumer also subscribes to) with RECONSUMETIMES counted up and delivery delayed; once RECONSUMETIMES
 * exceeds maxRedeliverCount it goes to the dead-letter topic instead.
 */
export class RetryLetterRouter {
  private readonly producer: LetterProducer;

  constructor(
    readonly topic: string,
    private readonly subscription: string,
    private readonly maxRedeliverCount: number,
    private readonly deadLetter: DeadLetterRouter,
    createProducer: (config: ProducerConfig) => Promise<Producer>,
  ) {
    this.producer = new LetterProducer(topic, createProducer);
  }

  /** Publishes the letter; resolves with where it went. The caller acks the original afterwards. */
  async reconsume(
    message: Message,
    realTopic: string,
    delayMs: number,
    custom: Record<string, string> = {},
  ): Promise<'retry' | 'dead-letter'> {
    const properties = { ...letterProperties(message, realTopic, this.subscription), ...custom };
    const previous = Number.parseInt(properties[PROPERTY_RECONSUMETIMES] ?? '', 10);
    const times = Number.isNaN(previous) ? 1 : previous + 1;
    properties[PROPERTY_RECONSUMETIMES] = String(times);
    properties[PROPERTY_DELAY_TIME] = String(Math.max(0, Math.trunc(delayMs)));
    if (times > this.maxRedeliverCount) {
      await this.deadLetter.producer.send(message, properties);
      return 'dead-letter';
    }
    await this.producer.send(message, properties, Math.max(0, delayMs));
    return 'retry';
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
