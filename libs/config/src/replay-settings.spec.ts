import { ConfigurationError } from './configuration-error';
import { parseGyreConfig } from './parse-gyre-config';

const DATABASE_URL = 'postgres://gyre@127.0.0.1:54329/gyre';

describe('replay settings (REPLAY_*)', () => {
  it('reads every runner setting from the environment', () => {
    const config = parseGyreConfig({
      DATABASE_URL,
      REPLAY_POLL_INTERVAL_MS: '250',
      REPLAY_LEASE_MS: '30000',
      REPLAY_CHECKPOINT_EVERY_EVENTS: '2000',
      REPLAY_CHECKPOINT_INTERVAL_MS: '5000',
      REPLAY_MAX_IN_FLIGHT: '4000',
      REPLAY_MAX_CONCURRENT_JOBS: '0',
      REPLAY_MAX_FAILURES: '9',
      REPLAY_RETRY_AFTER_MS: '100',
      REPLAY_EXPORT_PART_EVENTS: '100000',
      REPLAY_EXPORT_PART_INTERVAL_MS: '60000',
    });

    expect(config.replay).toEqual({
      pollIntervalMs: 250,
      leaseMs: 30_000,
      checkpointEveryEvents: 2000,
      checkpointIntervalMs: 5000,
      maxInFlight: 4000,
      maxConcurrentJobs: 0,
      maxFailures: 9,
      retryAfterMs: 100,
      exportPartEvents: 100_000,
      exportPartIntervalMs: 60_000,
    });
  });

  it('refuses to start when a setting is out of range or checkpoints would outlive the lease', () => {
    let error: unknown;
    try {
      parseGyreConfig({
        DATABASE_URL,
        REPLAY_LEASE_MS: '2000',
        REPLAY_CHECKPOINT_INTERVAL_MS: '2000',
        REPLAY_MAX_IN_FLIGHT: '0',
      });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).settings.map((problem) => problem.key)).toEqual([
      'REPLAY_MAX_IN_FLIGHT',
      'REPLAY_CHECKPOINT_INTERVAL_MS',
    ]);
  });
});
