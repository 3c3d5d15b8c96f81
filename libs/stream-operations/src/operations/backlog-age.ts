/** What one partition of a subscription says about its oldest unacknowledged message. */
export interface PartitionBacklog {
  partition: number;
  /** Entries the broker counts in the backlog (msgBacklog: a batch counts once). */
  backlog: number;
  /** Messages in those entries, when they were counted (batches split); else unknown. */
  messages?: number;
  /** Publish time (ms) of the first unacknowledged entry, when there is one and it could be read. */
  oldestPublishTime?: number;
}

export interface BacklogAge {
  /** Unacknowledged messages; a lower bound (entries) on partitions too long to count, see `exact`. */
  messages: number;
  /** Unacknowledged entries, as the broker counts them (a batch is one entry). */
  entries: number;
  /** False when some partition's backlog was too long to count message by message. */
  exact: boolean;
  /** Age of the oldest unacknowledged message across partitions; null when nothing is unacknowledged. */
  ageSeconds: number | null;
  oldestPublishTime: string | null;
}

/**
 * The backlog of a subscription in messages and in time. A partition's oldest unacknowledged message
 * is the first entry after its cursor's mark-delete position that is not individually acknowledged
 * (what the admin API's peek at position 1 returns); its age is now minus that entry's publish time.
 * The subscription's age is the oldest across partitions. Clock skew between broker and API never
 * yields a negative age.
 */
export function backlogAge(partitions: readonly PartitionBacklog[], nowMs: number): BacklogAge {
  const entries = partitions.reduce((sum, partition) => sum + Math.max(0, partition.backlog), 0);
  const messages = partitions.reduce(
    (sum, partition) => sum + (partition.messages ?? Math.max(0, partition.backlog)),
    0,
  );
  const exact = partitions.every((partition) => partition.backlog <= 0 || partition.messages !== undefined);
  const times = partitions
    .filter((partition) => partition.backlog > 0 && partition.oldestPublishTime !== undefined)
    .map((partition) => partition.oldestPublishTime!);
  if (times.length === 0) return { messages, entries, exact, ageSeconds: null, oldestPublishTime: null };
  const oldest = Math.min(...times);
  return {
    messages,
    entries,
    exact,
    ageSeconds: Math.max(0, Math.round((nowMs - oldest) / 100) / 10),
    oldestPublishTime: new Date(oldest).toISOString(),
  };
}
