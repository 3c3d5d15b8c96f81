import type { Producer } from '../producer/producer';
import type { ProducerConfig } from '../producer/options';
import { partitionIndexOf } from '../lookup/topic-name';
import { Message } from './message';

// Property names as the Java client's RetryMessageUtil spells them, so any Pulsar tool reads our letters.
export const PROPERTY_REAL_TOPIC = 'REAL_TOPIC';
export const PROPERTY_REAL_SUBSCRIPTION = 'REAL_SUBSCRIPTION';
export const PROPERTY_ORIGIN_MESSAGE_ID = 'ORIGIN_MESSAGE_ID';
/** The Java client still writes its historical misspelling of ORIGIN_MESSAGE_ID next to it. */
export const PROPERTY_LEGACY_ORIGIN_MESSAGE_ID = 'ORIGIN_MESSAGE_IDY_TIME';
export const PROPERTY_RECONSUMETIMES = 'RECONSUMETIMES';
export const PROPERTY_DELAY_TIME = 'DELAY_TIME';
/** Written by the Java client on retry letters only. */
export const PROPERTY_RETRY_TOPIC = 'RETRY_TOPIC';
/**
 * Every property a Pulsar client's dead-letter and retry-letter routing adds: bookkeeping about where a
 * letter came from, not part of the message (a redrive drops them).
 */
export const LETTER_PROPERTIES: readonly string[] = [
  PROPERTY_REAL_TOPIC,
  PROPERTY_REAL_SUBSCRIPTION,
  PROPERTY_ORIGIN_MESSAGE_ID,
  PROPERTY_LEGACY_ORIGIN_MESSAGE_ID,
  PROPERTY_RECONSUMETIMES,
  PROPERTY_DELAY_TIME,
  PROPERTY_RETRY_TOPIC,
];
/** The Java client's maxRedeliverCount when retry is enabled without a dead-letter policy. */
export const DEFAULT_MAX_RECONSUME_TIMES = 16;

/** The Java client's default DLQ name: `<topic>-<subscription>-DLQ`. */
export function defaultDeadLetterTopic(topic: string, subscription: string): string {
  return `${topic}-${subscription}-DLQ`;
}

/** The Java client's default retry-letter name: `<topic>-<subscription>-RETRY`. */
export function defaultRetryLetterTopic(topic: string, subscription: string): string {
  return `${topic}-${subscription}-RETRY`;
}

/** A partition's topic name without its `-partition-N` suffix. */
export function withoutPartition(topic: string): string {
  return partitionIndexOf(topic) < 0 ? topic : topic.slice(0, topic.lastIndexOf('-partition-'));
}

/**
 * The properties a dead or retry letter carries, as the Java client writes them: the message's own, then
 * where it came from. Origin keys already present (a letter lettered again) keep their first value.
 */
export function letterProperties(
  message: Message,
  realTopic: string,
  subscription: string,
): Record<string, string> {
  const id = message.getMessageId().toJavaString();
  return {
    [PROPERTY_REAL_TOPIC]: realTopic,
    [PROPERTY_LEGACY_ORIGIN_MESSAGE_ID]: id,
    [PROPERTY_ORIGIN_MESSAGE_ID]: id,
    [PROPERTY_REAL_SUBSCRIPTION]: subscription,
    ...message.getProperties(),
  };
}

/** An unbatched producer for a letter topic, created on first use and re-created if that failed. */
export class LetterProducer {
  private producer?: Promise<Producer>;

  constructor(
    readonly topic: string,
    private readonly createProducer: (config: ProducerConfig) => Promise<Producer>,
    private readonly initialSubscriptionName?: string,
  ) {}

  /** Copies the message (data, key, ordering key, event time) with these properties. */
  async send(message: Message, properties: Record<string, string>, deliverAfterMs?: number): Promise<void> {
    this.producer ??= this.createProducer({
      topic: this.topic,
      batchingEnabled: false,
      // A chunked message must fit there too (the C++ client chunks its dead letters as well).
      chunkingEnabled: !this.topic.startsWith('non-persistent://'),
      initialSubscriptionName: this.initialSubscriptionName,
    });
    const producer = await this.producer.catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    await producer.send({
      data: message.getData(),
      properties,
      partitionKey: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
      orderingKey: message.getOrderingKey()?.toString(),
      eventTimestamp: message.getEventTimestamp() || undefined,
      deliverAfter: deliverAfterMs,
    });
  }

  async close(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.close();
  }
}
