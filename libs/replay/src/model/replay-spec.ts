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

/** Where replayed events go (see docs/replay.md). */
export type ReplayTarget =
  /** A stream of Gyre's catalog; created with the source's schema and partitions when missing. */
  | { kind: 'stream'; stream: string }
  /**
   * A feature rebuild: the events run through a pipeline's stage (e.g. prepare) with the feature
   * definition `featureDefinition` (`id@version`), into the stream `output` (default
   * `<the stage's output>.v<version>`) and a training dataset in S3. The API resolves the defaults and
   * snapshots the stage's handler, parameters and allowed lateness into the job, so a later pipeline change does not alter it.
   */
  | {
      kind: 'pipelineStage';
      pipeline: string;
      stage: string;
      featureDefinition: string;
      output?: string;
      handler?: string;
      parameters?: Record<string, unknown>;
      /** The stage's allowedLatenessMs, snapshotted too: the rebuild reads the same disorder the live stage did. */
      allowedLatenessMs?: number;
    }
  /** The events as Parquet parts under `exports/<dataset>/<job id>/` in the datasets bucket. */
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
