import { Logger } from '@nestjs/common';
import type { ReplayCheckpointRecord, ReplayJobRecord } from '@gyre/database';
import { Client, MessageId } from '@gyre/pulsar';
import { ReplayError } from '../errors';
import { ReplayJobStore } from '../jobs/replay-job.store';
import { estimateProgress, RateLimiter } from '../model/progress';
import type { ReplayEnd, ReplayFilter, ReplayStart } from '../model/replay-spec';
import { replayPartition } from './partition-replay';
import type { ReplaySink } from './replay-sink';
import { ReplayRunnerSettings } from './replay-runner-settings';
import type { ReplaySinkFactory } from './replay-sinks';

export interface ExecutionContext {
  store: ReplayJobStore;
  client: Client;
  settings: ReplayRunnerSettings;
  sinks: ReplaySinkFactory;
  /** The topic of a stream. */
  topicOf(stream: string): string;
  logger: Logger;
}

/** Why an execution stops before the job is done. */
type StopReason = 'shutdown' | 'paused' | 'cancelled' | 'lease-lost';

/**
 * One claim of one job by this worker: reads its unfinished partitions in parallel, renews the lease,
 * and stops promptly when an operator pauses or cancels it (seen at the next heartbeat), when another
 * worker took the job over, or when the process shuts down. Every partition checkpoints before stopping.
 */
export class ReplayExecution {
  readonly finished: Promise<void>;
  private readonly abort = new AbortController();
  private stopReason: StopReason | undefined;
  private scannedSinceClaim = 0;
  private readonly claimedAt = performance.now();

  constructor(
    private readonly job: ReplayJobRecord,
    private readonly checkpoints: ReplayCheckpointRecord[],
    private readonly context: ExecutionContext,
  ) {
    this.finished = this.run().catch((error: unknown) =>
      context.logger.error({
        msg: 'replay execution failed unexpectedly',
        job: job.id,
        error: String(error),
      }),
    );
  }

  get id(): string {
    return this.job.id;
  }

  /** Shutdown: stop reading, checkpoint, and give the job back for another worker to claim at once. */
  stop(): void {
    this.halt('shutdown');
  }

  private halt(reason: StopReason): void {
    this.stopReason ??= reason;
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const { store, settings, logger } = this.context;
    const owner = this.job.leaseOwner!;
    // At least every second, so a pause or cancel is honoured promptly; at most a third of the lease.
    const every = Math.max(100, Math.min(1000, settings.leaseMs / 3));
    const heartbeat = setInterval(() => void this.heartbeat(owner), every);
    const targets: ReplaySink[] = [];
    logger.log({ msg: 'replay claimed', job: this.job.id, claims: this.job.claims });
    try {
      await this.replay(owner, targets);
      if (this.stopReason === 'shutdown') await store.release(this.job.id, owner, 0);
      else if (!this.stopReason && (await store.finish(this.job.id, owner, 'completed', null)))
        logger.log({ msg: 'replay completed', job: this.job.id });
    } catch (error) {
      const failure = toFailure(error);
      const retriable = error instanceof ReplayError && error.retriable;
      logger.warn({ msg: 'replay interrupted', job: this.job.id, code: failure.code, retriable });
      if (this.stopReason && this.stopReason !== 'shutdown') return;
      if (retriable && this.job.failures + 1 < settings.maxFailures)
        await store.release(this.job.id, owner, settings.retryAfterMs, failure);
      else await store.finish(this.job.id, owner, 'failed', failure);
    } finally {
      clearInterval(heartbeat);
      await Promise.allSettled(targets.map((target) => target.close()));
    }
  }

  private async replay(owner: string, targets: ReplaySink[]): Promise<void> {
    const { client, settings, store } = this.context;
    const sinks = await this.context.sinks.forJob(this.job, { client, owner, topicOf: this.context.topicOf });
    const start = this.job.startPosition as ReplayStart;
    const end = this.job.endPosition as ReplayEnd;
    const limiter = this.job.rateLimitPerSecond ? new RateLimiter(this.job.rateLimitPerSecond) : undefined;
    const open = this.checkpoints.filter((checkpoint) => !checkpoint.done && checkpoint.endId !== null);
    const results = await Promise.allSettled(
      open.map((checkpoint) => {
        const sink = sinks.open(checkpoint.partition);
        targets.push(sink);
        return replayPartition(
          {
            jobId: this.job.id,
            topic: this.context.topicOf(this.job.sourceStream),
            partition: checkpoint.partition,
            start: idOf(checkpoint.startId),
            end: idOf(checkpoint.endId)!,
            lastId: idOf(checkpoint.lastId),
            scanned: Number(checkpoint.scanned),
            events: Number(checkpoint.events),
            bytes: Number(checkpoint.bytes),
            filter: (this.job.filter as ReplayFilter | null) ?? undefined,
            startTimestamp: start.kind === 'timestamp' ? start.timestamp : undefined,
            endTimestamp: end.kind === 'timestamp' ? end.timestamp : undefined,
          },
          {
            client,
            sink,
            limiter,
            signal: this.abort.signal,
            checkpointEveryEvents: settings.checkpointEveryEvents,
            checkpointIntervalMs: settings.checkpointIntervalMs,
            maxInFlight: settings.maxInFlight,
            onScanned: () => (this.scannedSinceClaim += 1),
            checkpoint: async (update) => {
              if (!(await store.saveCheckpoint(this.job.id, owner, update))) this.halt('lease-lost');
            },
          },
        ).catch((error: unknown) => {
          // One partition failing stops the others: the job is released or failed as a whole.
          this.abort.abort();
          throw error;
        });
      }),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    if (results.some((result) => result.status === 'fulfilled' && result.value === 'stopped'))
      this.stopReason ??= 'shutdown';
    if (!this.stopReason) await sinks.complete();
  }

  private async heartbeat(owner: string): Promise<void> {
    const { store, settings } = this.context;
    try {
      const checkpoints = await store.checkpoints([this.job.id]);
      const progress = estimateProgress({
        scannedSinceClaim: this.scannedSinceClaim,
        elapsedMs: performance.now() - this.claimedAt,
        scannedTotal: checkpoints.reduce((sum, c) => sum + Number(c.scanned), 0),
        estimatedTotal: checkpoints.reduce((sum, c) => sum + Number(c.estimated), 0),
      });
      const lease = await store.heartbeat(this.job.id, owner, settings.leaseMs, progress);
      if (lease.held) return;
      this.halt(
        lease.state === 'paused' ? 'paused' : lease.state === 'cancelled' ? 'cancelled' : 'lease-lost',
      );
    } catch (error) {
      // Postgres unreachable: keep going; the lease expires if this lasts, and the checkpoints are fenced.
      this.context.logger.warn({ msg: 'replay heartbeat failed', job: this.job.id, error: String(error) });
    }
  }
}

function idOf(opaque: string | null): MessageId | undefined {
  return opaque === null ? undefined : MessageId.fromOpaqueString(opaque);
}

function toFailure(error: unknown): { code: string; message: string } {
  if (error instanceof ReplayError) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}
