import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import {
  HandlerRegistry,
  PipelineService,
  PipelineWatcher,
  selectStages,
  StageMetricsRegistry,
  StageStatus,
  StageSupervisor,
  WorkerIdentity,
  WorkerStatusStore,
} from '@gyre/pipelines';
import { Client } from '@gyre/pulsar';
import { StreamNamespace } from '@gyre/streams';

/**
 * The stage runtime of this worker process: runs the stages of the stored pipelines, or those WORKERS_STAGES
 * selects (picking up changes by polling) and, on SIGTERM, drains them within WORKERS_DRAIN_TIMEOUT_MS.
 */
@Injectable()
export class PipelineRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PipelineRuntime');
  private readonly supervisor: StageSupervisor;
  private readonly watcher: PipelineWatcher;
  private readonly worker: WorkerIdentity = {
    id: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    host: hostname(),
    pid: process.pid,
    startedAt: new Date(),
  };
  private reportFailing = false;

  constructor(
    private readonly config: GyreConfig,
    pipelines: PipelineService,
    registry: HandlerRegistry,
    private readonly metrics: StageMetricsRegistry,
    namespace: StreamNamespace,
    private readonly workerStatus: WorkerStatusStore,
    client: Client,
  ) {
    this.supervisor = new StageSupervisor({
      client,
      registry,
      topicOf: (stream) => namespace.topic(stream),
      metrics,
      drainTimeoutMs: config.workers.drainTimeoutMs,
    });
    // After each poll, this worker reports its stages (the admin status endpoint reads the reports).
    // WORKERS_STAGES limits the process to some stages (one deployment per stage scales on its backlog).
    const target = {
      reconcile: async (stored: Parameters<StageSupervisor['reconcile']>[0]) => {
        await this.supervisor.reconcile(selectStages(stored, config.workers.stages));
        await this.report();
      },
    };
    this.watcher = new PipelineWatcher(pipelines, target, config.workers.pipelinePollIntervalMs);
  }

  /** Not awaited: a worker starts (and answers /health) even while Postgres or Pulsar are still coming up. */
  onApplicationBootstrap(): void {
    this.watcher.start();
  }

  stages(): StageStatus[] {
    return this.supervisor.status();
  }

  /** Never rejects: a failed report (Postgres down) is logged once and retried on the next poll. */
  private async report(): Promise<void> {
    const counters = new Map(this.metrics.snapshot().map((m) => [`${m.pipeline}/${m.stage}`, m]));
    const stages = this.supervisor.status().map((stage) => {
      const counted = counters.get(`${stage.pipeline}/${stage.stage}`);
      return {
        ...stage,
        processed: counted?.processed ?? 0,
        retried: counted?.retried ?? 0,
        deadLettered: counted?.deadLettered ?? 0,
      };
    });
    try {
      await this.workerStatus.report(this.worker, stages);
      this.reportFailing = false;
    } catch (error) {
      if (!this.reportFailing)
        this.logger.warn({
          msg: 'worker status could not be reported',
          reason: error instanceof Error ? error.message : String(error),
        });
      this.reportFailing = true;
    }
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const started = Date.now();
    await this.watcher.stop();
    await this.supervisor.drainAll(this.config.workers.drainTimeoutMs);
    await this.workerStatus
      .remove(this.worker.id)
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'worker status not removed; it goes stale', reason: String(error) }),
      );
    this.logger.log({ msg: 'stages drained', signal, durationMs: Date.now() - started });
  }
}
