/** Shared: any worker takes any event (stateless work). Key_Shared: one worker per key, in order. */
export type StageSubscriptionType = 'Shared' | 'Key_Shared';
/** Where a new subscription starts: Latest (the default) skips the stream's history; replays read it. */
export type StageInitialPosition = 'Latest' | 'Earliest';

/**
 * at-least-once: outputs are sent, then the input is acked (a crash in between sends them again, with the
 * same ids). exactly-once: each handling's outputs and input acks go in one Pulsar transaction.
 */
export type StageDelivery = 'at-least-once' | 'exactly-once';

export interface RetryPolicy {
  /** Deliveries (first one included) before the event goes to the dead-letter topic. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles (times `multiplier`) per attempt up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  multiplier: number;
}

/** One step of a pipeline: what it reads, which handler runs, where its outputs go. */
export interface StageDefinition {
  name: string;
  /** The stream it consumes and the subscription its workers share. */
  input: {
    stream: string;
    subscription: string;
    subscriptionType: StageSubscriptionType;
    initialPosition: StageInitialPosition;
  };
  handler: string;
  /** The only streams its handler may publish to. */
  outputs: string[];
  /** Events (batches, when batchSize > 1) one worker process handles at the same time for this stage. */
  concurrency: number;
  /**
   * Up to this many events go to the handler at once (a BatchStageHandler's handleBatch; a plain
   * handler gets them one by one); they are acked once the batch's outputs are persisted. Default 1.
   * On a Key_Shared stage a batch waits for earlier work on its keys, and an event to retry holds back its
   * key's later events (retried in place, in order) while the other keys' events are acked.
   */
  batchSize?: number;
  /** How long a batch waits for more events after its first one arrived (default 5 ms). */
  batchMaxWaitMs?: number;
  retry: RetryPolicy;
  /**
   * How far (ms, 0 to 24 h, default 0) an event may come behind its key's latest event time and still
   * be handled as if in order (StageContext.allowedLatenessMs); a later one is handled too, and counted.
   */
  allowedLatenessMs?: number;
  /** Default at-least-once; exactly-once costs a transaction per handling (docs/pipelines.md). */
  delivery?: StageDelivery;
  /**
   * exactly-once only: the broker aborts a handling's transaction not committed within this time (default
   * 60 s), so the inputs of a worker that died mid-handling come back to the others after at most this.
   */
  transactionTimeoutMs?: number;
  /** Defaults to `<input topic>-<subscription>-DLQ`, the Pulsar clients' convention. */
  deadLetterStream?: string;
  /** Free-form settings handed to the handler (StageContext.parameters). */
  parameters: Record<string, unknown>;
}

export interface PipelineDefinition {
  stages: StageDefinition[];
}

/** A stored pipeline: its name, its version (bumped on every change) and its validated definition. */
export interface Pipeline {
  name: string;
  version: number;
  definition: PipelineDefinition;
  updatedAt: Date;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 1000,
  maxBackoffMs: 60_000,
  multiplier: 2,
};
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_BATCH_MAX_WAIT_MS = 5;
export const MAX_ALLOWED_LATENESS_MS = 24 * 3_600_000;
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
