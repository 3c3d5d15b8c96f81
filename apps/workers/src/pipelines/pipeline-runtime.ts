import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import {
  HandlerRegistry,
  PipelineService,
  PipelineWatcher,
  StageMetricsRegistry,
  StageStatus,
  StageSupervisor,
} from '@gyre/pipelines';
import { AuthenticationToken, Client } from '@gyre/pulsar';
import { StreamNamespace } from '@gyre/streams';

/**
 * The stage runtime of this worker process: runs the stages of the stored pipelines (picking up
 * changes by polling) and, on SIGTERM, drains them within WORKERS_DRAIN_TIMEOUT_MS before exiting.
 */
@Injectable()
export class PipelineRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PipelineRuntime');
  private readonly client: Client;
  private readonly supervisor: StageSupervisor;
  private readonly watcher: PipelineWatcher;

  constructor(
    private readonly config: GyreConfig,
    pipelines: PipelineService,
    registry: HandlerRegistry,
    metrics: StageMetricsRegistry,
    namespace: StreamNamespace,
  ) {
    const { serviceUrl, authToken } = config.pulsar;
    this.client = new Client({
      serviceUrl,
      authentication: authToken ? new AuthenticationToken({ token: authToken }) : undefined,
    });
    this.client.on('reconnecting', (event) =>
      this.logger.warn({
        msg: 'pulsar reconnecting',
        kind: event.kind,
        topic: event.topic,
        attempt: event.attempt,
      }),
    );
    this.supervisor = new StageSupervisor({
      client: this.client,
      registry,
      topicOf: (stream) => namespace.topic(stream),
      metrics,
      drainTimeoutMs: config.workers.drainTimeoutMs,
    });
    this.watcher = new PipelineWatcher(pipelines, this.supervisor, config.workers.pipelinePollIntervalMs);
  }

  /** Not awaited: a worker starts (and answers /health) even while Postgres or Pulsar are still coming up. */
  onApplicationBootstrap(): void {
    this.watcher.start();
  }

  stages(): StageStatus[] {
    return this.supervisor.status();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const started = Date.now();
    await this.watcher.stop();
    await this.supervisor.drainAll(this.config.workers.drainTimeoutMs);
    await this.client.close();
    this.logger.log({ msg: 'stages drained', signal, durationMs: Date.now() - started });
  }
}
