export { PulsarAdmin } from './pulsar-admin';
export { PulsarAdminOptions } from './http';
export { PulsarAdminError } from './errors';
export { parseTopic, TopicName } from './topic-path';
export {
  AdminMessageId,
  InternalStats,
  LedgerInfo,
  OffloadStatus,
  RetentionPolicy,
  SchemaCompatibilityStrategy,
  SchemaInfo,
  SchemaPayload,
  TopicStats,
} from './types';
