import { CompressionType } from '../codec/compression';
import { HashingScheme } from './hashing';

/** KeyBasedBatching: one key per batch, as the Java client's BatcherBuilder.KEY_BASED (for Key_Shared). */
export type BatchingType = 'DefaultBatching' | 'KeyBasedBatching';

/** Option names and defaults follow the official Node client (C++ engine) unless noted. */
export interface ProducerConfig {
  topic: string;
  producerName?: string;
  /** 30 000 by default; 0 disables the timeout. */
  sendTimeoutMs?: number;
  initialSequenceId?: number;
  /** Per partition; 1000 by default. A send beyond it fails with PRODUCER_QUEUE_FULL. */
  maxPendingMessages?: number;
  messageRoutingMode?: 'RoundRobinDistribution' | 'UseSinglePartition';
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
  Omit<ProducerConfig, 'producerName' | 'initialSequenceId' | 'properties' | 'initialSubscriptionName'>
> &
  Pick<ProducerConfig, 'producerName' | 'initialSequenceId' | 'properties' | 'initialSubscriptionName'>;

export function resolveProducerConfig(config: ProducerConfig): ResolvedProducerConfig {
  return {
    sendTimeoutMs: 30_000,
    maxPendingMessages: 1000,
    messageRoutingMode: 'RoundRobinDistribution',
    hashingScheme: 'JavaStringHash',
    compressionType: 'None',
    batchingEnabled: true,
    batchingMaxPublishDelayMs: 10,
    batchingMaxMessages: 1000,
    batchingMaxAllowedSizeInBytes: 128 * 1024,
    batchingType: 'DefaultBatching',
    accessMode: 'Shared',
    ...stripUndefined(config),
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
