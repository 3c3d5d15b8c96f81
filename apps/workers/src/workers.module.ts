import { DynamicModule, Logger, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { GyreCoreModule } from '@gyre/core';
import { HealthModule } from '@gyre/health';
import {
  AnyStageHandler,
  HandlerRegistry,
  PipelinesModule,
  PipelineStatusService,
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
  /** Extensions composed in by their own entry point (examples/fraud-loop): Nest modules and their handlers. */
  extensions?: readonly WorkersExtension[];
  /** Overrides of the replay runner's lease, poll and checkpoint settings (tests shorten them). */
  replay?: Partial<ReplayRunnerSettings>;
}

/** A Nest module an extension brings in, and the provider in it that lists its stage handlers. */
export interface WorkersExtension {
  readonly module: Type<unknown>;
  readonly handlers: Type<{ readonly handlers: readonly AnyStageHandler[] }>;
}

/**
 * The workers process: the stages of the stored pipelines, replay jobs, and its operational endpoints (/health, /metrics).
 * It never migrates: the API owns the schema, the workers expect it ready.
 */
@Module({})
export class WorkersModule implements OnApplicationShutdown {
  static forRoot(options: WorkersOptions = {}): DynamicModule {
    const extensions = options.extensions ?? [];
    return {
      module: WorkersModule,
      imports: [
        GyreCoreModule.forRoot({ applicationName: 'gyre-workers' }),
        HealthModule,
        StreamsModule,
        PipelinesModule,
        ReplayModule.forRoot(options.replay),
        ...extensions.map((extension) => extension.module),
      ],
      controllers: [MetricsController],
      providers: [
        WorkersMetrics,
        StageMetricsRegistry,
        PipelineStatusService,
        {
          provide: HandlerRegistry,
          inject: extensions.map((extension) => extension.handlers),
          useFactory: (...sets: { readonly handlers: readonly AnyStageHandler[] }[]) =>
            new HandlerRegistry([...sets.flatMap((set) => set.handlers), ...(options.handlers ?? [])]),
        },
        PipelineRuntime,
        ReplayRuntime,
      ],
    };
  }

  onApplicationShutdown(signal?: string): void {
    new Logger('Lifecycle').log({ msg: 'workers shut down', signal });
  }
}
