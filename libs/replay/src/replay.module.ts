import { DynamicModule, Module } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { PipelinesModule } from '@gyre/pipelines';
import { StorageModule } from '@gyre/storage';
import { StreamsModule } from '@gyre/streams';
import { FeatureVersionService } from './rebuild/feature-version.service';
import { ReplayDatasetStore } from './jobs/replay-dataset.store';
import { ReplayJobStore } from './jobs/replay-job.store';
import { ReplayTargets } from './jobs/replay-targets';
import { ReplayService } from './jobs/replay.service';
import { ReplayRunner } from './runner/replay-runner';
import { ReplayRunnerSettings } from './runner/replay-runner-settings';
import { ReplaySinkFactory } from './runner/replay-sinks';

/**
 * Replay jobs for a Nest process: the API uses ReplayService and FeatureVersionService, the workers
 * start ReplayRunner. Needs GyreConfigModule and DatabaseModule imported by the app. Runner settings
 * come from the configuration (REPLAY_* keys); `overrides` win (tests shorten leases and intervals).
 */
@Module({})
export class ReplayModule {
  static forRoot(overrides: Partial<ReplayRunnerSettings> = {}): DynamicModule {
    return {
      module: ReplayModule,
      imports: [StreamsModule, StorageModule, PipelinesModule],
      providers: [
        {
          provide: ReplayRunnerSettings,
          inject: [GyreConfig],
          useFactory: (config: GyreConfig) => ReplayRunnerSettings.with({ ...config.replay, ...overrides }),
        },
        ReplayJobStore,
        ReplayDatasetStore,
        ReplayTargets,
        ReplayService,
        ReplaySinkFactory,
        ReplayRunner,
        FeatureVersionService,
      ],
      exports: [ReplayService, ReplayRunner, FeatureVersionService],
    };
  }
}
