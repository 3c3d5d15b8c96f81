import { DynamicModule, Module } from '@nestjs/common';
import { StreamsModule } from '@gyre/streams';
import { ReplayJobStore } from './jobs/replay-job.store';
import { ReplayService } from './jobs/replay.service';
import { ReplayRunner } from './runner/replay-runner';
import { ReplayRunnerSettings } from './runner/replay-runner-settings';

/**
 * Replay jobs for a Nest process: the API uses ReplayService, the workers start ReplayRunner.
 * Needs GyreConfigModule and DatabaseModule imported by the app.
 */
@Module({})
export class ReplayModule {
  static forRoot(settings: Partial<ReplayRunnerSettings> = {}): DynamicModule {
    return {
      module: ReplayModule,
      imports: [StreamsModule],
      providers: [
        { provide: ReplayRunnerSettings, useValue: ReplayRunnerSettings.with(settings) },
        ReplayJobStore,
        ReplayService,
        ReplayRunner,
      ],
      exports: [ReplayService, ReplayRunner],
    };
  }
}
