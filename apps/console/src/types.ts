/** The API's response shapes the console reads (see the OpenAPI document at /docs). */
export interface StreamView {
  name: string;
  ownerTeam: string;
  partitions: number;
  schemaVersion: number;
  retention: { minutes: number; sizeMb: number } | null;
  createdAt: string;
}

export interface StreamSample {
  at: number;
  messagesIn: number;
  rateIn: number;
  storageBytes: number;
  subscriptions: Record<string, { backlog: number; rateOut: number }>;
}

export interface SubscriptionView {
  name: string;
  type: string;
  backlog: { messages: number; entries: number; exact: boolean; ageSeconds: number | null };
  msgRateOut: number;
  consumers: number;
}

export interface DeadLetterSummary {
  topic: string;
  pending: { messages: number; ageSeconds: number | null };
  totalMessages: number;
  storageBytes: number;
}

export interface DeadLetter {
  messageId: string;
  position: string;
  key: string | null;
  publishTime: string | null;
  payload: unknown;
  failure: { reason: string | null; code: string | null; stage: string | null; attempts: number | null };
}

export interface ReplayJob {
  id: string;
  state: string;
  source: string;
  target: { kind: string; stream?: string; pipeline?: string; stage?: string; dataset?: string };
  events: number;
  scanned: number;
  estimated: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  partitions: Array<{ partition: number; scanned: number; estimated: number; done: boolean }>;
  error: { code: string; message: string } | null;
  createdAt: string;
}

export interface StorageReport {
  bookKeeper: { ledgers: number; bytes: number };
  offloaded: { ledgers: number; bytes: number };
}

export interface PipelineSummary {
  name: string;
}

export interface PipelineStatus {
  pipeline: string;
  version: number;
  stages: Array<{
    name: string;
    handler: string;
    input: { stream: string; subscription: string; subscriptionType: string };
    lag: number | null;
    processed: number;
    failures: { retried: number; deadLettered: number };
    inFlight: number;
    workers: Array<{
      worker: string;
      host: string;
      pid: number;
      state: string;
      inFlight: number;
      processed: number;
      lastSeen: string;
      stale: boolean;
    }>;
  }>;
}

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target: string;
  at: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: string;
  revokedAt: string | null;
  createdAt: string;
}

/** The fraud-loop example's epoch routes (present only when the API composes the loop in). */
export interface ModelVersionView {
  version: number;
  artifact: { bucket: string; key: string; checksum: string };
  metrics: { examples: number; positives: number; auc: number; logLoss: number; brier: number; ece: number };
}

export interface EpochLineage {
  epoch: number;
  state: string;
  events: number;
  examples: number;
  dataset: { bucket: string; keys: string[]; rowCount: number; checksum: string } | null;
  servedBy: ModelVersionView | null;
  live: { examples: number; auc: number; logLoss: number; brier: number; ece: number } | null;
  trained: ModelVersionView | null;
}

export interface EpochSummary extends EpochLineage {
  openedAt: string;
  closedAt: string | null;
  trainingSeconds: number | null;
  datasetUris: string[];
  modelUri: string | null;
}

export interface SchemaVersionView {
  version: number;
  schema: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
}

export interface SchemaCompatibility {
  against: number;
  compatible: boolean;
  unchanged: boolean;
  problems: Array<{ pointer: string; detail: string }>;
}

export interface StreamStoragePolicies {
  retention: { minutes: number; sizeMb: number } | null;
  offloadThresholdBytes: number | null;
  offloadDeletionLagMs: number | null;
}

export interface OffloadProgress {
  partition: number;
  status: string;
  lastError: string | null;
}

export interface PeekedMessage {
  messageId: string;
  position: string;
  partition: number;
  key: string | null;
  publishTime: string | null;
  payload: unknown;
  payloadBase64?: string;
}

export interface PredictionLineage {
  eventId: string;
  epoch: number;
  score: number;
  model: string;
  modelVersion: ModelVersionView | null;
  features: { definition: string; eventTime: number | null; values: Record<string, number> };
  label: 0 | 1 | null;
}

/** One bin of a reliability curve (`GET /admin/monitoring`); the means are null when the bin is empty. */
export interface ReliabilityPoint {
  lower: number;
  upper: number;
  count: number;
  meanPrediction: number | null;
  observedRate: number | null;
}

export interface ThresholdCrossing {
  measure: string;
  value: number;
  threshold: number;
  feature?: string;
}

/**
 * A model version over one window of its scores (the fraud-loop example's monitoring): `served` (they were the
 * predictions) or `shadow` (the challenger's scores of the same events, never served).
 */
export interface WindowMonitoring {
  modelVersion: number;
  role: 'served' | 'shadow';
  /** null for the rolling window. */
  epoch: number | null;
  predictions: number;
  labelled: number;
  calibration: { ece: number; bins: ReliabilityPoint[] } | null;
  crossings: ThresholdCrossing[];
}

export interface MonitoringReport {
  pipeline: string;
  window: 'epoch' | 'rolling';
  size: number | null;
  models: WindowMonitoring[];
}

export type ModelRole = 'champion' | 'challenger' | 'retired';

/** `GET /admin/pipelines/{p}/models`: the versions with their roles and every role change, oldest first. */
export interface ModelRolesView {
  pipeline: string;
  versions: Array<{
    version: number;
    epoch: number;
    role: ModelRole;
    createdAt: string;
    heldOut: Record<string, number>;
  }>;
  changes: Array<{
    version: number;
    fromRole: ModelRole | null;
    toRole: ModelRole;
    reason: string;
    actor: string;
    at: string;
  }>;
}

/** `GET /v1/streams/{stream}/tiers`: bytes and ledgers per storage tier, from the partitions' internal stats. */
export interface StreamTierTotals {
  stream: string;
  bookKeeper: { ledgers: number; bytes: number };
  s3: { ledgers: number; bytes: number };
  readAt: string;
}
