/** Message properties Gyre's runtime reads and writes: part of the contract between stages and sinks. */
export const EVENT_PROPERTIES = {
  /** The event's id; on outputs, the deterministic id sinks deduplicate by. */
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
} as const;
