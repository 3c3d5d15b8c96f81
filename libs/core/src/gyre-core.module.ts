import { DynamicModule, Global, Module } from '@nestjs/common';
import { GyreConfig, GyreConfigModule } from '@gyre/config';
import { DatabaseModule, DataSourceRole } from '@gyre/database';
import { MetricsRegistry, ProcessMetrics } from '@gyre/metrics';
import { Client } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { StorageModule } from '@gyre/storage';
import { createPulsarClient } from './pulsar-client.factory';
import { PulsarClientEvents } from './pulsar-client-events';
import { PulsarClientLifecycle } from './pulsar-client-lifecycle';

/**
 * The adapters of one Gyre process, each built once from the validated configuration: GyreConfig, the
 * DataSource, S3Storage, the Pulsar Client and PulsarAdmin, the metrics registry and process metrics.
 * Global, so domain modules inject them without importing this lib; a role (the API, the workers)
 * imports it once and adds its controllers and runners. Building it starts no timer and opens no
 * connection: the client connects on first use.
 */
@Global()
@Module({})
export class GyreCoreModule {
  /** `database.migrations`: an extension's own, added to the platform's (only a migrating role needs them). */
  static forRoot(database: DataSourceRole): DynamicModule {
    return {
      module: GyreCoreModule,
      imports: [GyreConfigModule.forRoot(), DatabaseModule.forRoot(database), StorageModule],
      providers: [
        { provide: Client, inject: [GyreConfig], useFactory: createPulsarClient },
        {
          provide: PulsarAdmin,
          inject: [GyreConfig],
          useFactory: (config: GyreConfig) =>
            new PulsarAdmin({ adminUrl: config.pulsar.adminUrl, authToken: config.pulsar.authToken }),
        },
        MetricsRegistry,
        ProcessMetrics,
        PulsarClientEvents,
        PulsarClientLifecycle,
      ],
      exports: [StorageModule, Client, PulsarAdmin, MetricsRegistry],
    };
  }
}
