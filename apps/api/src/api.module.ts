import { DynamicModule, Logger, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthModule } from '@gyre/auth';
import { GyreCoreModule } from '@gyre/core';
import type { MigrationClass } from '@gyre/database';
import { HealthModule } from '@gyre/health';
import { HttpConsumptionModule } from '@gyre/http-consumption';
import { IngestModule } from '@gyre/ingest';
import { ReplayModule } from '@gyre/replay';
import { StreamOperationsModule } from '@gyre/stream-operations';
import { StreamsModule } from '@gyre/streams';
import { AuditLogReader } from '@gyre/database';
import { GyreConfig } from '@gyre/config';
import { S3Storage, StoredArtifacts } from '@gyre/storage';
import { AdminApiKeysController } from './auth/admin-api-keys.controller';
import { AdminAuditLogController } from './auth/admin-audit-log.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { HttpConsumerController } from './consumption/http-consumer.controller';
import { ApiMetrics } from './metrics/api-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { AdminArtifactsController } from './operations/admin-artifacts.controller';
import { AdminDeadLettersController } from './operations/admin-dead-letters.controller';
import { AdminStreamEventsController } from './operations/admin-stream-events.controller';
import { AdminNamespaceController } from './operations/admin-namespace.controller';
import { AdminStorageController } from './operations/admin-storage.controller';
import { AdminSubscriptionsController } from './operations/admin-subscriptions.controller';
import { PipelinesApiModule } from './pipelines/pipelines-api.module';
import { ProblemDetailsFilter } from './problem-details/problem-details.filter';
import { AdminFeatureVersionsController } from './replays/admin-feature-versions.controller';
import { AdminReplaysController } from './replays/admin-replays.controller';
import { AdminStreamsController } from './streams/admin-streams.controller';
import { AdminStreamSchemasController } from './streams/admin-stream-schemas.controller';
import { EventsController } from './streams/events.controller';
import { StreamReadsController } from './streams/stream-reads.controller';

/**
 * The API process. A dynamic module so its configuration is read when the app is created,
 * after main.ts has validated it, not when this file is imported.
 */
export interface ApiOptions {
  /** Nest modules composed in by an extension's own entry point (examples/fraud-loop): their controllers and providers. */
  extensions?: readonly Type<unknown>[];
  /** Those extensions' migrations: the API applies them with the platform's at start-up. */
  migrations?: readonly MigrationClass[];
}

@Module({})
export class ApiModule implements OnApplicationShutdown {
  static forRoot(options: ApiOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        GyreCoreModule.forRoot({
          applicationName: 'gyre-api',
          migrationsRun: true,
          migrations: options.migrations,
        }),
        HealthModule,
        StreamsModule,
        IngestModule,
        HttpConsumptionModule,
        StreamOperationsModule,
        AuthModule,
        ReplayModule.forRoot(),
        PipelinesApiModule,
        ...(options.extensions ?? []),
      ],
      controllers: [
        EventsController,
        HttpConsumerController,
        AdminStreamsController,
        AdminStreamSchemasController,
        AdminApiKeysController,
        AdminSubscriptionsController,
        AdminDeadLettersController,
        AdminStorageController,
        AdminArtifactsController,
        AdminStreamEventsController,
        AdminNamespaceController,
        AdminReplaysController,
        AdminFeatureVersionsController,
        MetricsController,
        AdminAuditLogController,
        StreamReadsController,
      ],
      providers: [
        ApiMetrics,
        AuditLogReader,
        {
          provide: StoredArtifacts,
          inject: [S3Storage, GyreConfig],
          useFactory: (storage: S3Storage, config: GyreConfig) =>
            new StoredArtifacts(storage, [config.s3.buckets.datasets, config.s3.buckets.models]),
        },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }

  onApplicationShutdown(signal?: string): void {
    new Logger('Lifecycle').log({ msg: 'API shut down', signal });
  }
}
