/**
 * How a worker runs replay jobs. Production values come from @gyre/config (REPLAY_* keys, see
 * docs/configuration.md); the defaults here are the same, and tests shorten the lease and intervals.
 */
export class ReplayRunnerSettings {
  /** How often an idle runner looks for a claimable job. */
  pollIntervalMs = 1000;
  /** A claim lasts this long without a heartbeat; heartbeats renew it every third of it. */
  leaseMs = 15_000;
  /** A partition checkpoints after this many messages read, or this long, whichever comes first. */
  checkpointEveryEvents = 500;
  checkpointIntervalMs = 1000;
  /** Events sent and not yet acknowledged per partition before the reader waits. */
  maxInFlight = 1000;
  maxConcurrentJobs = 2;
  /** Retriable failures (broker or target unavailable) before a job fails for good. */
  maxFailures = 5;
  /** How long a job released after a retriable failure waits before it may be claimed again. */
  retryAfterMs = 5000;
  /** Parquet exports: a part (and a checkpoint) after this many messages read, or this long. */
  exportPartEvents = 50_000;
  exportPartIntervalMs = 30_000;

  static with(overrides: Partial<ReplayRunnerSettings> = {}): ReplayRunnerSettings {
    return Object.assign(new ReplayRunnerSettings(), overrides);
  }
}
