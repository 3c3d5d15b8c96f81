/**
 * The contract ML teams implement. Handlers see Gyre's vocabulary only (events, epochs, streams):
 * no Pulsar type reaches them, so a handler can be unit-tested with plain objects.
 */

/** One input event as a handler sees it. */
export interface StageEvent<Payload = unknown> {
  /** The event id (the `gyre-event-id` property), or the Pulsar message id when the producer set none. */
  readonly id: string;
  /** The partition key; Key_Shared stages see all events of one key in order, on one worker. */
  readonly key: string | undefined;
  /** The epoch the event belongs to (`gyre-epoch`), or undefined when it carries none. */
  readonly epoch: string | undefined;
  /** The JSON payload, parsed; validated against the stream's schema at ingestion, not here. */
  readonly payload: Payload;
  /** Event time in ms since the Unix epoch (the publish time when the producer set none). */
  readonly eventTime: number;
  /** Application properties of the event, Gyre's own `gyre-*` ones included. */
  readonly properties: Readonly<Record<string, string>>;
}

/** What a handler may know about the run it is part of. */
export interface StageContext {
  readonly pipeline: string;
  readonly stage: string;
  /** 1 on the first delivery; counts redeliveries and in-place retries. */
  readonly attempt: number;
  /** The stage's `parameters` from the pipeline definition (thresholds, model names, windows). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The stage's declared output streams (set by the runtime; optional for hand-built contexts). */
  readonly outputs?: readonly string[];
  /** The stage's allowed lateness in ms (0 unless the definition sets `allowedLatenessMs`). */
  readonly allowedLatenessMs?: number;
  /**
   * Counts an event handled although it came `lateByMs` behind its key's latest event time, more than
   * the allowed lateness (`gyre_stage_late_events_total`). Call it once the event's effect is kept.
   */
  readonly observeLateEvent?: (lateByMs: number) => void;
  /** Aborted when the worker stops and the drain deadline has passed: stop work and throw. */
  readonly signal: AbortSignal;
}

/** One event a handler produces. Its id is derived by the runtime, never chosen by the handler. */
export interface StageOutput<Payload = unknown> {
  /** One of the stage's declared output streams. */
  readonly stream: string;
  readonly payload: Payload;
  /** Partition key; defaults to the input's key, so per-key order carries downstream. */
  readonly key?: string;
  /**
   * Tells this output apart from the input's other outputs to the same stream; defaults to its
   * position among them. Set it when a handler's outputs are not produced in a deterministic order.
   */
  readonly part?: string;
  /** The output's epoch; defaults to the input's (a feedback stage tags examples for the next one). */
  readonly epoch?: string;
  /** Extra properties; the runtime's `gyre-*` properties cannot be overridden. */
  readonly properties?: Readonly<Record<string, string>>;
}

/**
 * A stage handler, registered by name. It must be idempotent in effect: an event may be handled
 * more than once (redelivery after a crash), and its outputs are deduplicated downstream by id.
 * Throw to fail the event (see HandlerError for non-retriable failures); return [] to emit nothing.
 */
export interface StageHandler<In = unknown, Out = unknown> {
  /** The name pipeline definitions refer to, e.g. `fraud.prepare.v1`. */
  readonly name: string;
  handle(event: StageEvent<In>, context: StageContext): Promise<readonly StageOutput<Out>[]>;
}

/**
 * The outcome of one event of a batch, in the batch's order: its outputs, or the Error it failed with
 * (a HandlerError with `retriable: false` dead-letters it at once; any other Error is retried).
 */
export type BatchItemResult<Out = unknown> = readonly StageOutput<Out>[] | Error;

/**
 * A handler that takes up to the stage's `batchSize` events at once (scoring many feature vectors in
 * one model call, one database round trip per batch). Semantics:
 * - it returns one BatchItemResult per event, in order; a result list of another length fails the batch;
 * - the events that succeeded are acked once every output of the batch has been persisted (published
 *   with the broker's receipt); an event whose outputs could not be published is retried like a failure;
 * - the events that failed follow the stage's retry policy one by one (backoff, then dead-letter topic),
 *   and come back in a later batch; throwing fails every event of the batch the same way;
 * - on a Key_Shared stage, an event to retry holds back its key's later events of the batch (even those
 *   that succeeded), and they are handled again together, in order, in place (see docs/pipelines.md).
 * It must be idempotent in effect, like a StageHandler: a batch may be handled again after a crash.
 */
export interface BatchStageHandler<In = unknown, Out = unknown> {
  readonly name: string;
  handleBatch(
    events: readonly StageEvent<In>[],
    context: StageContext,
  ): Promise<readonly BatchItemResult<Out>[]>;
}

/** What a HandlerRegistry holds and a pipeline stage names. */
export type AnyStageHandler = StageHandler | BatchStageHandler;

export function isBatchHandler(handler: AnyStageHandler): handler is BatchStageHandler {
  return typeof (handler as Partial<BatchStageHandler>).handleBatch === 'function';
}
