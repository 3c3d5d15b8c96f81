import type { EnvReader } from './env-reader';

/** How the workers run replay jobs (libs/replay's runner; docs/replay.md). */
export interface ReplaySettings {
  /** How often an idle worker looks for a claimable replay job. */
  pollIntervalMs: number;
  /** A claim lasts this long without a heartbeat; a dead worker's job is taken over after it. */
  leaseMs: number;
  /** A partition checkpoints after this many messages read, or this long, whichever comes first. */
  checkpointEveryEvents: number;
  checkpointIntervalMs: number;
  /** Events sent and not yet acknowledged per partition before the reader waits. */
  maxInFlight: number;
  /** Jobs one worker process runs at once; 0 makes it run none. */
  maxConcurrentJobs: number;
  /** Retriable failures (source or target unavailable) before a job fails for good. */
  maxFailures: number;
  /** How long a job released after a retriable failure waits before it may be claimed again. */
  retryAfterMs: number;
  /** Parquet exports and rebuild datasets: a part after this many messages read, or this long. */
  exportPartEvents: number;
  exportPartIntervalMs: number;
}

export function readReplay(read: EnvReader): ReplaySettings {
  const settings: ReplaySettings = {
    pollIntervalMs: read.integer('REPLAY_POLL_INTERVAL_MS', 1000, { min: 50, max: 600_000 }),
    leaseMs: read.integer('REPLAY_LEASE_MS', 15_000, { min: 1000, max: 3_600_000 }),
    checkpointEveryEvents: read.integer('REPLAY_CHECKPOINT_EVERY_EVENTS', 500, { min: 1, max: 10_000_000 }),
    checkpointIntervalMs: read.integer('REPLAY_CHECKPOINT_INTERVAL_MS', 1000, { min: 50, max: 3_600_000 }),
    maxInFlight: read.integer('REPLAY_MAX_IN_FLIGHT', 1000, { min: 1, max: 1_000_000 }),
    maxConcurrentJobs: read.integer('REPLAY_MAX_CONCURRENT_JOBS', 2, { min: 0, max: 256 }),
    maxFailures: read.integer('REPLAY_MAX_FAILURES', 5, { min: 1, max: 1000 }),
    retryAfterMs: read.integer('REPLAY_RETRY_AFTER_MS', 5000, { min: 0, max: 3_600_000 }),
    exportPartEvents: read.integer('REPLAY_EXPORT_PART_EVENTS', 50_000, { min: 1, max: 10_000_000 }),
    exportPartIntervalMs: read.integer('REPLAY_EXPORT_PART_INTERVAL_MS', 30_000, {
      min: 100,
      max: 3_600_000,
    }),
  };
  // Checkpoints are written under the lease: one that outlives it would be fenced out every time.
  if (settings.checkpointIntervalMs >= settings.leaseMs)
    read.problem(
      'REPLAY_CHECKPOINT_INTERVAL_MS',
      `must be shorter than REPLAY_LEASE_MS (${settings.leaseMs})`,
      String(settings.checkpointIntervalMs),
    );
  return settings;
}
