import { Module } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { StreamNamespace } from './namespace/stream-namespace';
import { StreamNamespaceProvisioner } from './namespace/stream-namespace.provisioner';
import { StreamCatalog } from './catalog/stream-catalog';
import { StreamDirectory } from './catalog/stream-directory';
import { IngestService } from './ingest/ingest.service';
import { HttpConsumptionService } from './http-consumption/http-consumption.service';
import { SubscriptionConsumers } from './http-consumption/subscription-consumers';
import { StreamProducers } from './publishing/stream-producers';
import { StreamsPulsarClient } from './pulsar/streams-pulsar-client';
import { PayloadValidator } from './schema/payload-validator';

/**
 * The streams domain for a Nest process: provisions the streams namespace at start-up, keeps the stream
 * catalog, ingests events and serves HTTP consumers. Needs GyreConfigModule and DatabaseModule imported by the app.
 */
@Module({
  providers: [
    {
      provide: PulsarAdmin,
      inject: [GyreConfig],
      useFactory: (config: GyreConfig) =>
        new PulsarAdmin({ adminUrl: config.pulsar.adminUrl, authToken: config.pulsar.authToken }),
    },
    {
      provide: StreamNamespace,
      inject: [PulsarAdmin, GyreConfig],
      useFactory: (admin: PulsarAdmin, config: GyreConfig) =>
        new StreamNamespace(admin, {
          tenant: config.pulsar.tenant,
          namespace: config.pulsar.namespace,
          cluster: config.pulsar.cluster,
          offloadThresholdBytes: config.tier.offloadThresholdBytes,
          offloadDeletionLagMs: config.tier.offloadDeletionLagMs,
        }),
    },
    StreamNamespaceProvisioner,
    { provide: PayloadValidator, useValue: new PayloadValidator() },
    StreamsPulsarClient,
    StreamProducers,
    StreamDirectory,
    StreamCatalog,
    IngestService,
    SubscriptionConsumers,
    HttpConsumptionService,
  ],
  exports: [
    PulsarAdmin,
    StreamNamespace,
    StreamDirectory,
    StreamCatalog,
    IngestService,
    HttpConsumptionService,
    StreamProducers,
  ],
})
export class StreamsModule {}
