/** One source event as a replay hands it to its target, with Gyre's lineage properties already set. */
export interface ReplayedEvent {
  readonly data: Buffer;
  readonly key: string | undefined;
  /** The producer's event time (ms); undefined when it set none. */
  readonly eventTimestamp: number | undefined;
  /** The broker's publish time (ms). */
  readonly publishTimestamp: number;
  /** The source's properties plus `gyre-event-id`, `gyre-parent-id`, `gyre-replay-job`, `gyre-replayed-from`. */
  readonly properties: Record<string, string>;
  /** The source event's own properties, unchanged. */
  readonly sourceProperties: Record<string, string>;
  /** `ledger:entry:partition[:batch]` in the source. */
  readonly position: string;
  /** The message's rank in its source partition's scan (1, 2, ...): stable across resumes. */
  readonly sequence: number;
  /** The source event's id (`gyre-event-id`), or its position when it has none. */
  readonly sourceEventId: string;
}

/**
 * Where one source partition's replayed events go. Everything accepted before a `flush` must be
 * durable when it resolves: the partition checkpoints right after, and a resume starts past it.
 * Whatever is accepted again after a crash (between the last checkpoint and the crash) must not
 * end up twice in the target: each sink says how it makes that hold.
 */
export interface ReplaySink {
  /** Takes one event; a promise (awaited before the next checkpoint) when it becomes durable later. */
  accept(event: ReplayedEvent): Promise<unknown> | undefined;
  flush(): Promise<void>;
  /**
   * Hands over events the sink holds back to handle in a batch: the partition calls it before it waits
   * for its accepted events (at a checkpoint, or on failure), whose promises only settle after it.
   */
  drain?(): void;
  close(): Promise<void>;
  /**
   * True when an event is durable once its `accept` promise resolves and `flush` writes nothing: the
   * partition then reads on while a checkpoint waits for those acknowledgements. Otherwise (the default)
   * the partition waits for them and for `flush` before reading on.
   */
  readonly durableWhenAcknowledged?: boolean;
  /** How often this sink wants checkpoints (a Parquet part per checkpoint wants bigger ones). */
  readonly checkpointEveryEvents?: number;
  readonly checkpointIntervalMs?: number;
}
