/**
 * Message properties Gyre writes on stream events: the contract between ingestion, stages and sinks.
 * Every name starts with RESERVED_PROPERTY_PREFIX, which clients may not use for their own properties.
 */
export const RESERVED_PROPERTY_PREFIX = 'gyre-';

export const EVENT_PROPERTIES = {
  /** The event's id (set by ingestion when the client gives one); on outputs, the deterministic id sinks deduplicate by. */
  eventId: 'gyre-event-id',
  epoch: 'gyre-epoch',
  /** On outputs: the id of the input they were derived from (lineage). */
  parentId: 'gyre-parent-id',
  /** On outputs and dead letters: `<pipeline>/<stage>`. */
  stage: 'gyre-stage',
  /** On dead letters: why the last attempt failed (error code and message, truncated). */
  failureReason: 'gyre-failure-reason',
  failureCode: 'gyre-failure-code',
  attempts: 'gyre-attempts',
  /** On events redriven from a dead-letter topic: the dead letter's position there (lineage). */
  redrivenFrom: 'gyre-redriven-from',
  /** On events a replay job wrote: the job's id, and the source event's position (lineage). */
  replayJob: 'gyre-replay-job',
  replayedFrom: 'gyre-replayed-from',
} as const;
