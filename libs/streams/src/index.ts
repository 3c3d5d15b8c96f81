export {
  INFINITE_RETENTION,
  StreamNamespace,
  StreamNamespaceReport,
  StreamNamespaceSettings,
} from './namespace/stream-namespace';
export { StreamsModule } from './streams.module';
export { StreamCatalog } from './catalog/stream-catalog';
export { MAX_PARTITIONS, STREAM_NAME } from './catalog/stream-definition';
export type { StreamDefinition, StreamView } from './catalog/stream-definition';
export { StreamsError } from './errors';
export type { FieldProblem, StreamsErrorCode } from './errors';
export { IngestService } from './ingest/ingest.service';
export type { IngestOutcome, IngestRequest } from './ingest/ingest.service';
export type { EventInput, EventsBody } from './ingest/event-envelope';
export type { IngestResult, PublishedEvent } from './ingest/ingest-result';
export { backwardIncompatibilities } from './schema/schema-compatibility';
export { EVENT_PROPERTIES, RESERVED_PROPERTY_PREFIX } from './events/event-properties';
export { jsonTextOf, messagesJson } from './events/payload-text';
export {
  HttpConsumptionService,
  MAX_PULL,
  SUBSCRIPTION_NAME,
} from './http-consumption/http-consumption.service';
export type { PullRequest, SettleOutcome, SettleResult } from './http-consumption/http-consumption.service';
export type { LeasedMessage, PullResult } from './http-consumption/leased-message';
export { pullResultJson } from './http-consumption/leased-message';
export { StreamOperationsModule } from './operations/stream-operations.module';
export { SubscriptionOperations, MAX_PEEK } from './operations/subscription-operations';
export type { ResetTarget, StartPosition } from './operations/subscription-operations';
export type { SubscriptionView } from './operations/subscription-view';
export type { BacklogAge } from './operations/backlog-age';
export type { PeekedMessage } from './operations/peeked-messages';
export { StreamConnections } from './operations/stream-connections';
export type { ConnectedConsumer, ConnectedProducer } from './operations/stream-connections';
export { DeadLetterTopics, REDRIVE_SUBSCRIPTION } from './dead-letters/dead-letter-topics';
export type { DeadLetterSummary, DeadLetterView } from './dead-letters/dead-letter-topics';
export { DeadLetterRedriver, MAX_REDRIVE, redriveProducerName } from './dead-letters/dead-letter-redrive';
export type { RedriveResult } from './dead-letters/dead-letter-redrive';
export { StreamStorage } from './storage-tiers/stream-storage';
export type { OffloadProgress, StreamStoragePolicies } from './storage-tiers/stream-storage';
export type { StorageReport } from './storage-tiers/ledger-objects';
export { NamespacePolicyService } from './namespace/namespace-policies';
export type { NamespacePolicies, NamespacePolicyChanges } from './namespace/namespace-policies';
export { StreamProducers } from './publishing/stream-producers';
export type { PublishSample } from './publishing/stream-producers';
export { readTimestamp } from './operations/message-position';
