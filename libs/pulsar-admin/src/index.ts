export { PulsarAdmin } from './pulsar-admin';
export { PulsarAdminOptions } from './http';
export { PulsarAdminError } from './errors';
export type { PulsarAdminErrorCode } from './errors';
export { parseTopic, TopicName } from './topic-path';
export {
  AdminMessageId,
  ConsumerStats,
  CursorInternalStats,
  InternalStats,
  LedgerInfo,
  OffloadStatus,
  PartitionedInternalStats,
  PartitionedTopicStats,
  PeekedEntry,
  PublisherStats,
  RetentionPolicy,
  SchemaCompatibilityStrategy,
  SchemaInfo,
  SchemaPayload,
  SubscriptionStats,
  TopicOffloadPolicies,
  TopicStats,
  TopicStatsDetail,
} from './types';
