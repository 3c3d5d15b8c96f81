import { InvalidArgumentError } from '../errors';
import type { KeySharedMeta } from '../codec/protocol';
import type { MessageId } from '../codec/message-id';
import type { BatchReceivePolicy } from './batch-receive-policy';
import { ChunkPolicy, DEFAULT_CHUNK_POLICY } from './chunk-assembler';
import { KeySharedPolicy, keySharedMeta } from './key-shared-policy';
import { RegexSubscriptionMode, TOPICS_MODES } from './topics-pattern';

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
  /** A regular expression over one namespace's topic names: `[persistent://]tenant/ns/regex` or `regex`. */
  topicsPattern?: string;
  /** Which topics a pattern considers: PersistentOnly by default. */
  regexSubscriptionMode?: RegexSubscriptionMode;
  /**
   * Seconds between checks for topics that started or stopped matching topicsPattern; 60 by default (the
   * C++ engine's default), 0 = never. An extension: the official Node client does not expose it.
   */
  patternAutoDiscoveryPeriod?: number;
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
  /** How batchReceive() gathers its batch (defaults: no count limit, 10 MiB, 100 ms). */
  batchReceivePolicy?: BatchReceivePolicy;
  /** KeyShared subscriptions: AutoSplit or Sticky hash ranges, and out-of-order delivery. */
  keySharedPolicy?: KeySharedPolicy;
  /** Chunked messages reassembled at once, per partition; 10 by default; 0 = no limit. */
  maxPendingChunkedMessage?: number;
  /** At that limit, ack the oldest incomplete message (true) or leave it unacked (false, the default). */
  autoAckOldestChunkedMessageOnQueueFull?: boolean;
  /**
   * An incomplete chunked message is dropped and acked this long after its first chunk came; 60 000 by
   * default, 0 = never. An extension: the C++ engine's setting, not exposed by the official Node client.
   */
  expireTimeOfIncompleteChunkedMessageMs?: number;
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
  startMessageId?: MessageId;
  startMessageIdInclusive?: boolean;
  properties?: Record<string, string>;
  priorityLevel?: number;
  readCompacted?: boolean;
  keySharedMeta?: KeySharedMeta;
  chunkPolicy?: ChunkPolicy;
}

export const SUB_TYPES: Record<SubscriptionType, number> = {
  Exclusive: 0,
  Shared: 1,
  Failover: 2,
  KeyShared: 3,
};
export const INITIAL_POSITIONS: Record<InitialPosition, number> = { Latest: 0, Earliest: 1 };

/** Refuses what the broker cannot be asked for, before anything is created. */
export function checkConsumerOptions(config: ConsumerOptions): void {
  const named = config.topics ?? (config.topic ? [config.topic] : []);
  if (config.topicsPattern !== undefined && named.length > 0)
    throw new InvalidArgumentError('a consumer takes one of `topic`, `topics` or `topicsPattern`');
  if (config.topicsPattern === undefined && named.length === 0)
    throw new InvalidArgumentError('a consumer needs `topic`, `topics` or `topicsPattern`');
  if (!config.subscription) throw new InvalidArgumentError('a consumer needs a `subscription`');
  if (config.ackTimeoutMs && config.ackTimeoutMs < 1000)
    throw new InvalidArgumentError('ackTimeoutMs must be 0 (off) or at least 1000');
  if (config.regexSubscriptionMode !== undefined && !(config.regexSubscriptionMode in TOPICS_MODES))
    throw new InvalidArgumentError(
      `regexSubscriptionMode must be one of ${Object.keys(TOPICS_MODES).join(', ')}`,
    );
  const period = config.patternAutoDiscoveryPeriod;
  if (period !== undefined && !(Number.isFinite(period) && period >= 0))
    throw new InvalidArgumentError(
      `patternAutoDiscoveryPeriod must be a number of seconds >= 0, got ${period}`,
    );
  keySharedMeta(config.keySharedPolicy, config.subscriptionType ?? 'Exclusive');
}

/** The subscription of one topic or partition of a consumer. */
export function partitionSubscription(
  config: ConsumerOptions,
  target: { topic: string; partition: number },
): PartitionSubscription {
  return {
    ...target,
    subscription: config.subscription,
    subType: SUB_TYPES[config.subscriptionType ?? 'Exclusive'],
    initialPosition: INITIAL_POSITIONS[config.subscriptionInitialPosition ?? 'Latest'],
    consumerName: config.consumerName,
    receiverQueueSize: config.receiverQueueSize ?? 1000,
    durable: true,
    properties: config.properties,
    priorityLevel: config.priorityLevel,
    readCompacted: config.readCompacted,
    keySharedMeta: keySharedMeta(config.keySharedPolicy, config.subscriptionType ?? 'Exclusive'),
    chunkPolicy: {
      maxPendingChunkedMessage:
        config.maxPendingChunkedMessage ?? DEFAULT_CHUNK_POLICY.maxPendingChunkedMessage,
      autoAckOldestChunkedMessageOnQueueFull:
        config.autoAckOldestChunkedMessageOnQueueFull ??
        DEFAULT_CHUNK_POLICY.autoAckOldestChunkedMessageOnQueueFull,
      expireTimeOfIncompleteChunkedMessageMs:
        config.expireTimeOfIncompleteChunkedMessageMs ??
        DEFAULT_CHUNK_POLICY.expireTimeOfIncompleteChunkedMessageMs,
    },
  };
}
