/** Shapes of the admin API's JSON that Gyre reads (fields Gyre does not use are left out). */

export interface RetentionPolicy {
  retentionTimeInMinutes: number;
  retentionSizeInMB: number;
}

export interface AdminMessageId {
  ledgerId: number;
  entryId: number;
  partitionIndex: number;
}

export interface LedgerInfo {
  ledgerId: number;
  entries: number;
  size: number;
  offloaded: boolean;
  /** BookKeeper's metadata of the ledger (only when asked for; absent once BookKeeper deleted it). */
  metadata?: string;
}

export interface InternalStats {
  entriesAddedCounter: number;
  numberOfEntries: number;
  totalSize: number;
  currentLedgerEntries: number;
  currentLedgerSize: number;
  lastConfirmedEntry: string;
  ledgers: LedgerInfo[];
}

export interface OffloadStatus {
  status: 'NOT_RUN' | 'RUNNING' | 'SUCCESS' | 'ERROR';
  lastError: string;
  firstUnoffloadedMessage?: AdminMessageId;
}

export interface TopicStats {
  msgInCounter: number;
  bytesInCounter: number;
  storageSize: number;
  offloadedStorageSize: number;
  subscriptions: Record<string, { msgBacklog: number; type?: string }>;
}

export type SchemaCompatibilityStrategy =
  | 'ALWAYS_COMPATIBLE'
  | 'BACKWARD'
  | 'FORWARD'
  | 'FULL'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD_TRANSITIVE'
  | 'FULL_TRANSITIVE'
  | 'ALWAYS_INCOMPATIBLE';

/** The body of POST /admin/v2/schemas/.../schema: `schema` is the definition as a string. */
export interface SchemaPayload {
  type: 'JSON' | 'AVRO' | 'STRING' | 'BYTES';
  schema: string;
  properties: Record<string, string>;
}

export interface SchemaInfo {
  version: number;
  type: string;
  /** The definition as registered (a string). */
  data: string;
  properties: Record<string, string>;
}

/** A connected producer, from topic stats. */
export interface PublisherStats {
  producerName: string;
  producerId: number;
  address: string;
  connectedSince: string;
  msgRateIn: number;
  msgThroughputIn: number;
  accessMode?: string;
  clientVersion?: string;
}

/** A connected consumer of a subscription, from topic stats. */
export interface ConsumerStats {
  consumerName: string;
  address: string;
  connectedSince: string;
  msgRateOut: number;
  msgThroughputOut: number;
  msgRateRedeliver: number;
  unackedMessages: number;
  availablePermits: number;
  blockedConsumerOnUnackedMsgs: boolean;
  clientVersion?: string;
}

export interface SubscriptionStats {
  type: string;
  msgBacklog: number;
  backlogSize: number;
  msgRateOut: number;
  msgThroughputOut: number;
  msgRateRedeliver: number;
  messageAckRate: number;
  unackedMessages: number;
  msgRateExpired: number;
  isDurable: boolean;
  consumers: ConsumerStats[];
}

/** Stats of one topic or partition (GET .../stats), or of all partitions summed (partitioned-stats). */
export interface TopicStatsDetail {
  msgRateIn: number;
  msgRateOut: number;
  msgThroughputIn: number;
  msgInCounter: number;
  bytesInCounter: number;
  storageSize: number;
  offloadedStorageSize: number;
  backlogSize: number;
  publishers: PublisherStats[];
  subscriptions: Record<string, SubscriptionStats>;
}

export interface PartitionedTopicStats extends TopicStatsDetail {
  metadata: { partitions: number };
  partitions: Record<string, TopicStatsDetail>;
}

/** A cursor (subscription) in internal stats: where it is acknowledged up to. */
export interface CursorInternalStats {
  markDeletePosition: string;
  readPosition: string;
  messagesConsumedCounter: number;
}

export interface PartitionedInternalStats {
  metadata: { partitions: number };
  partitions: Record<string, InternalStats & { cursors?: Record<string, CursorInternalStats> }>;
}

/** Topic-level offload policies, as far as Gyre sets them (unset fields fall back to the namespace). */
export interface TopicOffloadPolicies {
  managedLedgerOffloadThresholdInBytes?: number;
  managedLedgerOffloadDeletionLagInMillis?: number;
  managedLedgerOffloadDriver?: string;
  [other: string]: unknown;
}

/** One entry read by peek: its headers (X-Pulsar-*) and its bytes (a whole batch when batched). */
export interface PeekedEntry {
  headers: Record<string, string>;
  body: Buffer;
}
