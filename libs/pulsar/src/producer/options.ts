import { CompressionType } from '../codec/compression';
import { InvalidArgumentError } from '../errors';
import { HashingScheme } from './hashing';
import type { MessageRouter } from './message-router';

/** KeyBasedBatching: one key per batch, as the Java client's BatcherBuilder.KEY_BASED (for Key_Shared). */
export type BatchingType = 'DefaultBatching' | 'KeyBasedBatching';

export type MessageRoutingMode = 'RoundRobinDistribution' | 'UseSinglePartition' | 'CustomPartition';

/** Option names and defaults follow the official Node client (C++ engine) unless noted. */
export interface ProducerConfig {
  topic: string;
  producerName?: string;
  /** 30 000 by default; 0 disables the timeout. */
  sendTimeoutMs?: number;
  initialSequenceId?: number;
  /** Per partition; 1000 by default. A send beyond it fails with PRODUCER_QUEUE_FULL. */
  maxPendingMessages?: number;
  /** CustomPartition needs `messageRouter`, which implies it. Keyed messages are hashed in the other two. */
  messageRoutingMode?: MessageRoutingMode;
  /** Partitioned topics: the application picks each message's partition (the CustomPartition mode). */
  messageRouter?: MessageRouter;
  /** JavaStringHash by default (sends a key to the same partition as the Java client). */
  hashingScheme?: HashingScheme;
  compressionType?: CompressionType;
  batchingEnabled?: boolean;
  batchingMaxPublishDelayMs?: number;
  batchingMaxMessages?: number;
  batchingMaxAllowedSizeInBytes?: number;
  /** DefaultBatching by default. */
  batchingType?: BatchingType;
  properties?: Record<string, string>;
  accessMode?: 'Shared' | 'Exclusive' | 'ExclusiveWithFencing';
  /** Creates this subscription with the producer (used for DLQ topics). */
  initialSubscriptionName?: string;
  /**
   * Messages above the broker's max message size are split into chunks the consumer reassembles. Needs
   * `batchingEnabled: false` and a persistent topic, as the official clients require.
   */
  chunkingEnabled?: boolean;
}

export interface ProducerMessage {
  data: Buffer;
  properties?: Record<string, string>;
  /** Event time in ms since the epoch. */
  eventTimestamp?: number;
  sequenceId?: number;
  partitionKey?: string;
  orderingKey?: string;
  /** Delayed delivery (Shared/Key_Shared subscriptions only). */
  deliverAfter?: number;
  deliverAt?: number;
}

export type ResolvedProducerConfig = Required<
  Omit<
    ProducerConfig,
    'producerName' | 'initialSequenceId' | 'properties' | 'initialSubscriptionName' | 'messageRouter'
  >
> &
  Pick<
    ProducerConfig,
    'producerName' | 'initialSequenceId' | 'properties' | 'initialSubscriptionName' | 'messageRouter'
  >;

export function resolveProducerConfig(config: ProducerConfig): ResolvedProducerConfig {
  return {
    sendTimeoutMs: 30_000,
    maxPendingMessages: 1000,
    hashingScheme: 'JavaStringHash',
    compressionType: 'None',
    batchingEnabled: true,
    batchingMaxPublishDelayMs: 10,
    batchingMaxMessages: 1000,
    batchingMaxAllowedSizeInBytes: 128 * 1024,
    batchingType: 'DefaultBatching',
    accessMode: 'Shared',
    chunkingEnabled: false,
    ...stripUndefined(config),
    messageRoutingMode: routingMode(config),
    ...chunking(config),
  };
}

/** Chunking splits one message over entries: batching (several messages in one entry) cannot go with it. */
function chunking(config: ProducerConfig): Pick<ProducerConfig, 'chunkingEnabled'> {
  if (!config.chunkingEnabled) return {};
  if (config.batchingEnabled !== false)
    throw new InvalidArgumentError(
      'chunkingEnabled needs batchingEnabled: false (batching and chunking cannot be enabled together)',
    );
  if (config.topic.startsWith('non-persistent://'))
    throw new InvalidArgumentError('chunkingEnabled works on persistent topics only');
  return { chunkingEnabled: true };
}

const ROUTING_MODES: readonly MessageRoutingMode[] = [
  'RoundRobinDistribution',
  'UseSinglePartition',
  'CustomPartition',
];

/** A router implies CustomPartition (as the C++ engine's setMessageRouter); a contradiction is refused. */
function routingMode(config: ProducerConfig): MessageRoutingMode {
  const { messageRouter, messageRoutingMode } = config;
  if (messageRouter !== undefined && typeof messageRouter !== 'function')
    throw new InvalidArgumentError('messageRouter must be a function (message, topicMetadata) => partition');
  if (messageRouter && messageRoutingMode && messageRoutingMode !== 'CustomPartition')
    throw new InvalidArgumentError(
      `messageRouter needs messageRoutingMode 'CustomPartition' (or none), got '${messageRoutingMode}'`,
    );
  if (messageRoutingMode !== undefined && !ROUTING_MODES.includes(messageRoutingMode))
    throw new InvalidArgumentError(
      `messageRoutingMode must be one of ${ROUTING_MODES.join(', ')}, got '${String(messageRoutingMode)}'`,
    );
  if (!messageRouter && messageRoutingMode === 'CustomPartition')
    throw new InvalidArgumentError("messageRoutingMode 'CustomPartition' needs a messageRouter");
  return messageRouter ? 'CustomPartition' : (messageRoutingMode ?? 'RoundRobinDistribution');
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
