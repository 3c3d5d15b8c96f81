export type SubscriptionType = 'Exclusive' | 'Shared' | 'Failover' | 'KeyShared';
export type InitialPosition = 'Latest' | 'Earliest';

export interface DeadLetterPolicy {
  /** Deliveries allowed before the message is diverted (the Java client's maxRedeliverCount). */
  maxRedeliverCount: number;
  /** Defaults to `<topic>-<subscription>-DLQ`, as in the Java client. */
  deadLetterTopic?: string;
  /** With `enableRetry`: defaults to `<topic>-<subscription>-RETRY`, as in the Java client. */
  retryLetterTopic?: string;
  /** Created on the DLQ topic with its producer, so nothing written there is lost before someone subscribes. */
  initialSubscriptionName?: string;
}

/**
 * Option names and defaults follow the official Node client. The listener, which names Consumer, is added
 * by consumer.ts's ConsumerConfig, so these options do not import the consumer back.
 */
export interface ConsumerOptions {
  topic?: string;
  topics?: string[];
  subscription: string;
  subscriptionType?: SubscriptionType;
  subscriptionInitialPosition?: InitialPosition;
  consumerName?: string;
  /** Per partition; 1000 by default. */
  receiverQueueSize?: number;
  /** 0 (off) by default; at least 1000 ms when set. */
  ackTimeoutMs?: number;
  /** 60 000 by default. */
  nAckRedeliverTimeoutMs?: number;
  /**
   * true by default (the official clients default to false): acks of single messages of a batch entry go
   * to the broker as ack_set bitmaps, so a redelivered entry brings back only its unacked messages. Needs
   * the broker's acknowledgmentAtBatchIndexLevelEnabled=true; without it the broker redelivers whole entries.
   */
  batchIndexAckEnabled?: boolean;
  deadLetterPolicy?: DeadLetterPolicy;
  /**
   * Enables `reconsumeLater`: the consumer also subscribes to the retry-letter topic. Without a
   * deadLetterPolicy, maxRedeliverCount is 16 (the Java client's default).
   */
  enableRetry?: boolean;
  properties?: Record<string, string>;
  priorityLevel?: number;
  readCompacted?: boolean;
}

export interface PartitionSubscription {
  topic: string;
  partition: number;
  subscription: string;
  subType: number;
  initialPosition: number;
  consumerName?: string;
  receiverQueueSize: number;
  durable: boolean;
  /** Readers: where the non-durable cursor starts, and whether that message itself is delivered. */
  startMessageId?: import('../codec/message-id').MessageId;
  startMessageIdInclusive?: boolean;
  properties?: Record<string, string>;
  priorityLevel?: number;
  readCompacted?: boolean;
}

export const SUB_TYPES: Record<SubscriptionType, number> = {
  Exclusive: 0,
  Shared: 1,
  Failover: 2,
  KeyShared: 3,
};
export const INITIAL_POSITIONS: Record<InitialPosition, number> = { Latest: 0, Earliest: 1 };
