import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { GyreConfigModule } from '@gyre/config';
import { DatabaseModule } from '@gyre/database';
import { HealthModule } from '@gyre/health';
import { StreamsModule } from '@gyre/streams';
import { MetricsController } from './metrics/metrics.controller';
import { ProcessMetrics } from './metrics/process-metrics';

/**
 * The workers process: for now only its operational endpoints (/health, /metrics).
 * It never migrates: the API owns the schema, the workers expect it ready.
 */
@Module({})
export class WorkersModule implements OnApplicationShutdown {
  static forRoot(): DynamicModule {
    return {
      module: WorkersModule,
      imports: [
        GyreConfigModule.forRoot(),
        DatabaseModule.forRoot({ applicationName: 'gyre-workers' }),
        HealthModule,
        StreamsModule,
      ],
      controllers: [MetricsController],
      providers: [ProcessMetrics],
    };
  }

  onApplicationShutdown(signal?: string): void {
    new Logger('Lifecycle').log({ msg: 'workers shut down', signal });
  }
}
