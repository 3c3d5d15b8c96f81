import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthModule } from '@gyre/auth';
import { GyreConfigModule } from '@gyre/config';
import { DatabaseModule } from '@gyre/database';
import { HealthModule } from '@gyre/health';
import { StreamsModule } from '@gyre/streams';
import { AdminApiKeysController } from './auth/admin-api-keys.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ProblemDetailsFilter } from './problem-details/problem-details.filter';
import { AdminStreamsController } from './streams/admin-streams.controller';
import { EventsController } from './streams/events.controller';

/**
 * The API process. A dynamic module so its configuration is read when the app is created,
 * after main.ts has validated it, not when this file is imported.
 */
@Module({})
export class ApiModule implements OnApplicationShutdown {
  static forRoot(): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        GyreConfigModule.forRoot(),
        DatabaseModule.forRoot({ applicationName: 'gyre-api', migrationsRun: true }),
        HealthModule,
        StreamsModule,
        AuthModule,
      ],
      controllers: [EventsController, AdminStreamsController, AdminApiKeysController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }

  onApplicationShutdown(signal?: string): void {
    new Logger('Lifecycle').log({ msg: 'API shut down', signal });
  }
}
