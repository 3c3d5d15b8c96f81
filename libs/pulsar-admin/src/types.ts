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
