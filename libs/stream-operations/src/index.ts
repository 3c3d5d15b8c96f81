/**
 * @gyre/stream-operations: operators' work on streams (subscriptions, peek, connections, dead letters
 * and redrive, storage tiers, namespace policies), for the API's /admin endpoints.
 */
export { StreamOperationsModule } from './stream-operations.module';
export { SubscriptionOperations, MAX_PEEK } from './operations/subscription-operations';
export type { ResetTarget, StartPosition } from './operations/subscription-operations';
export type { SubscriptionView } from './operations/subscription-view';
export type { BacklogAge } from './operations/backlog-age';
export type { PeekedMessage } from './operations/peeked-messages';
export { NewestEvents } from './operations/newest-events';
export { StreamConnections } from './operations/stream-connections';
export type { ConnectedConsumer, ConnectedProducer } from './operations/stream-connections';
export { DeadLetterTopics, REDRIVE_SUBSCRIPTION } from './dead-letters/dead-letter-topics';
export type { DeadLetterSummary, DeadLetterView } from './dead-letters/dead-letter-topics';
export { DeadLetterRedriver, MAX_REDRIVE, redriveProducerName } from './dead-letters/dead-letter-redrive';
export type { RedriveResult } from './dead-letters/dead-letter-redrive';
export { StreamStorage } from './storage-tiers/stream-storage';
export type { OffloadProgress, StreamStoragePolicies } from './storage-tiers/stream-storage';
export type { StorageReport } from './storage-tiers/ledger-objects';
export { StreamTiers, TIER_LIMITS } from './storage-tiers/stream-tiers';
export type { StreamTierTotals } from './storage-tiers/stream-tiers';
export { NamespacePolicyService } from './namespace-policies/namespace-policies';
export type { NamespacePolicies, NamespacePolicyChanges } from './namespace-policies/namespace-policies';
export { StreamSamples } from './samples/stream-samples';
export type { StreamSample } from './samples/sample-ring';
