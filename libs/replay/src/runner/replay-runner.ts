import { Injectable, Logger } from '@nestjs/common';
import type { HandlerRegistry } from '@gyre/pipelines';
import { Client } from '@gyre/pulsar';
import { StreamNamespace } from '@gyre/streams';
import { randomUUID } from 'node:crypto';
import { ReplayJobStore } from '../jobs/replay-job.store';
import { ReplayExecution } from './replay-execution';
import { ReplayRunnerSettings } from './replay-runner-settings';
import { ReplaySinkFactory } from './replay-sinks';

/**
 * Runs replay jobs in a worker process: claims pending jobs (and running ones whose worker died) with a
 * lease in Postgres, up to `maxConcurrentJobs` at once, and gives them back on stop.
 */
@Injectable()
export class ReplayRunner {
  private readonly logger = new Logger('ReplayRunner');
  private readonly executions = new Map<string, ReplayExecution>();
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly store: ReplayJobStore,
    private readonly namespace: StreamNamespace,
    private readonly settings: ReplayRunnerSettings,
    private readonly sinks: ReplaySinkFactory,
    private readonly client: Client,
  ) {}

  /** The stage handlers this process can replay through (target `pipelineStage`). */
  useHandlers(handlers: HandlerRegistry): void {
    this.sinks.useHandlers(handlers);
  }

  /** Ids of the jobs this process is running now. */
  running(): string[] {
    return [...this.executions.keys()];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming, stops every execution (each checkpoints and releases its job); the process's core closes the client. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    const executions = [...this.executions.values()];
    for (const execution of executions) execution.stop();
    await Promise.all(executions.map((execution) => execution.finished));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => this.schedule(this.settings.pollIntervalMs));
    }, delayMs);
  }

  private async poll(): Promise<void> {
    try {
      while (!this.stopped && this.executions.size < this.settings.maxConcurrentJobs) {
        const job = await this.store.claim(randomUUID(), this.settings.leaseMs);
        if (!job) return;
        const checkpoints = await this.store.checkpoints([job.id]);
        const execution = new ReplayExecution(job, checkpoints, {
          store: this.store,
          client: this.client,
          settings: this.settings,
          sinks: this.sinks,
          topicOf: (stream) => this.namespace.topic(stream),
          logger: this.logger,
        });
        this.executions.set(job.id, execution);
        void execution.finished.then(() => this.executions.delete(job.id));
      }
    } catch (error) {
      // Postgres down or slow: try again at the next poll.
      this.logger.warn({ msg: 'could not claim replay jobs', error: String(error) });
    }
  }
}
