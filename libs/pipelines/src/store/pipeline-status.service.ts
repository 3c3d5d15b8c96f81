import { Injectable } from '@nestjs/common';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { StreamNamespace } from '@gyre/streams';
import { PipelineService } from './pipeline.service';
import { WorkerStatusStore } from './worker-status.store';

/**
 * A worker not seen for this long (about ten missed reports: it was killed or cut off) is shown with state
 * `gone` and `stale: true`; its counters and `lastReportedState` are its last report.
 */
export const WORKER_STALE_AFTER_MS = 30_000;

export interface StageWorkerStatus {
  worker: string;
  host: string;
  pid: number;
  /** The runner's state as last reported, or `gone` once the worker is stale. */
  state: string;
  lastReportedState: string;
  inFlight: number;
  processed: number;
  retried: number;
  deadLettered: number;
  problem?: string;
  lastSeen: string;
  stale: boolean;
}

export interface StageStatusView {
  name: string;
  handler: string;
  input: { stream: string; subscription: string; subscriptionType: string };
  /** Events in the stage's subscription not yet acknowledged (Pulsar's backlog); null when unknown. */
  lag: number | null;
  /** Sums over the workers seen recently. */
  processed: number;
  failures: { retried: number; deadLettered: number };
  inFlight: number;
  workers: StageWorkerStatus[];
}

export interface PipelineStatusView {
  pipeline: string;
  version: number;
  stages: StageStatusView[];
}

export interface StageLag {
  pipeline: string;
  stage: string;
  subscription: string;
  /** Pulsar's backlog of the stage's input subscription; null when unknown. */
  lag: number | null;
}

/** Each stage of a pipeline with its lag (from Pulsar) and each worker's last report (from Postgres). */
@Injectable()
export class PipelineStatusService {
  constructor(
    private readonly pipelines: PipelineService,
    private readonly workers: WorkerStatusStore,
    private readonly admin: PulsarAdmin,
    private readonly namespace: StreamNamespace,
  ) {}

  async status(name: string, now = Date.now()): Promise<PipelineStatusView> {
    const pipeline = await this.pipelines.get(name);
    const rows = await this.workers.stagesOf(name);
    const stages = await Promise.all(
      pipeline.definition.stages.map(async (stage): Promise<StageStatusView> => {
        const workers = rows
          .filter((row) => row.stage === stage.name)
          .map((row) => {
            const stale = now - row.lastSeen.getTime() > WORKER_STALE_AFTER_MS;
            return {
              worker: row.worker,
              host: row.host,
              pid: row.pid,
              state: stale ? 'gone' : row.state,
              lastReportedState: row.state,
              inFlight: row.inFlight,
              processed: row.processed,
              retried: row.retried,
              deadLettered: row.deadLettered,
              ...(row.problem === undefined ? {} : { problem: row.problem }),
              lastSeen: row.lastSeen.toISOString(),
              stale,
            };
          });
        const live = workers.filter((worker) => !worker.stale);
        const sum = (pick: (worker: StageWorkerStatus) => number) =>
          live.reduce((total, worker) => total + pick(worker), 0);
        return {
          name: stage.name,
          handler: stage.handler,
          input: { ...stage.input },
          lag: await this.backlog(stage.input.stream, stage.input.subscription),
          processed: sum((w) => w.processed),
          failures: { retried: sum((w) => w.retried), deadLettered: sum((w) => w.deadLettered) },
          inFlight: sum((w) => w.inFlight),
          workers,
        };
      }),
    );
    return { pipeline: name, version: pipeline.version, stages };
  }

  /** Each stage's lag alone, as a metrics scrape needs it: no worker rows are read. */
  async lags(name: string): Promise<StageLag[]> {
    const pipeline = await this.pipelines.get(name);
    return Promise.all(
      pipeline.definition.stages.map(async (stage) => ({
        pipeline: name,
        stage: stage.name,
        subscription: stage.input.subscription,
        lag: await this.backlog(stage.input.stream, stage.input.subscription),
      })),
    );
  }

  /** The subscription's backlog over all partitions; null when the topic or subscription is not there yet. */
  private async backlog(stream: string, subscription: string): Promise<number | null> {
    const topic = this.namespace.topic(stream);
    try {
      const stats = await this.admin.topicStats(topic);
      return stats.subscriptions[subscription]?.msgBacklog ?? null;
    } catch {
      try {
        const stats = await this.admin.partitionedStats(topic);
        return stats.subscriptions[subscription]?.msgBacklog ?? null;
      } catch {
        return null;
      }
    }
  }
}
