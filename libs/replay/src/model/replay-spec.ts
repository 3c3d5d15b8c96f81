/** Where a replay starts on every partition (inclusive). */
export type ReplayStart =
  | { kind: 'earliest' }
  /** The first message published at or after this time (broker publish time, ms since the epoch). */
  | { kind: 'timestamp'; timestamp: number }
  /** One message id per partition, each naming its partition (opaque or ledger:entry:partition[:batch]). */
  | { kind: 'messageIds'; messageIds: string[] };

/** Where a replay ends on every partition (inclusive); never beyond the last message at job creation. */
export type ReplayEnd =
  | { kind: 'lastAtStart' }
  | { kind: 'timestamp'; timestamp: number }
  | { kind: 'messageIds'; messageIds: string[] };

/** Which events are replayed: every condition given must hold. */
export interface ReplayFilter {
  key?: { equals: string } | { prefix: string };
  /** Each property must be present with exactly this value. */
  properties?: Record<string, string>;
}

/**
 * Where replayed events go. Only `stream` is implemented; the others are typed extension points that
 * are refused with REPLAY_TARGET_NOT_IMPLEMENTED (see docs/replay.md).
 */
export type ReplayTarget =
  /** A stream of Gyre's catalog; created with the source's schema and partitions when missing. */
  | { kind: 'stream'; stream: string }
  /** Not implemented: run a pipeline stage (e.g. prepare) with a given feature-definition version. */
  | { kind: 'pipelineStage'; pipeline: string; stage: string; featureDefinitionVersion?: string }
  /** Not implemented: write the events to S3 as a Parquet dataset. */
  | { kind: 'datasetExport'; dataset: string };

export type ReplayTargetKind = ReplayTarget['kind'];

/** What an operator asks for. */
export interface ReplayRequest {
  source: string;
  start: ReplayStart;
  end: ReplayEnd;
  filter?: ReplayFilter;
  target: ReplayTarget;
  /** Events per second across all partitions; absent = as fast as the target takes them. */
  rateLimitPerSecond?: number;
}
