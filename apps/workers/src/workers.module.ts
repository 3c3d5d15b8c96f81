import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { GyreCoreModule } from '@gyre/core';
import { HealthModule } from '@gyre/health';
import {
  AnyStageHandler,
  HandlerRegistry,
  PipelinesModule,
  PipelineStatusService,
  ReferenceLoopHandlers,
  ReferenceLoopModule,
  StageMetricsRegistry,
} from '@gyre/pipelines';
import { ReplayModule, ReplayRunnerSettings } from '@gyre/replay';
import { StreamsModule } from '@gyre/streams';
import { MetricsController } from './metrics/metrics.controller';
import { WorkersMetrics } from './metrics/workers-metrics';
import { PipelineRuntime } from './pipelines/pipeline-runtime';
import { ReplayRuntime } from './replay/replay-runtime';

export interface WorkersOptions {
  /** The stage handlers this process can run; pipeline stages naming any other handler wait, logged. */
  handlers?: readonly AnyStageHandler[];
  /** Also registers the reference fraud loop's handlers (fraud.prepare.v1, ...); main.ts turns it on. */
  referenceLoop?: boolean;
  /** Overrides of the replay runner's lease, poll and checkpoint settings (tests shorten them). */
  replay?: Partial<ReplayRunnerSettings>;
}

/**
 * The workers process: the stages of the stored pipelines, replay jobs, and its operational endpoints (/health, /metrics).
 * It never migrates: the API owns the schema, the workers expect it ready.
 */
@Module({})
export class WorkersModule implements OnApplicationShutdown {
  static forRoot(options: WorkersOptions = {}): DynamicModule {
    return {
      module: WorkersModule,
      imports: [
        GyreCoreModule.forRoot({ applicationName: 'gyre-workers' }),
        HealthModule,
        StreamsModule,
        PipelinesModule,
        ReplayModule.forRoot(options.replay),
        ...(options.referenceLoop ? [ReferenceLoopModule] : []),
      ],
      controllers: [MetricsController],
      providers: [
        WorkersMetrics,
        StageMetricsRegistry,
        PipelineStatusService,
        options.referenceLoop
          ? {
              provide: HandlerRegistry,
              inject: [ReferenceLoopHandlers],
              useFactory: (loop: ReferenceLoopHandlers) =>
                new HandlerRegistry([...loop.handlers, ...(options.handlers ?? [])]),
            }
          : { provide: HandlerRegistry, useFactory: () => new HandlerRegistry(options.handlers ?? []) },
        PipelineRuntime,
        ReplayRuntime,
      ],
    };
  }

  onApplicationShutdown(signal?: string): void {
    new Logger('Lifecycle').log({ msg: 'workers shut down', signal });
  }
}
