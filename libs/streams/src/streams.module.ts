import { Module } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { StreamNamespace } from './namespace/stream-namespace';
import { StreamNamespaceProvisioner } from './namespace/stream-namespace.provisioner';
import { StreamCatalog } from './catalog/stream-catalog';
import { StreamDirectory } from './catalog/stream-directory';
import { StreamSchemas } from './catalog/stream-schemas';
import { PayloadValidator } from './schema/payload-validator';

/**
 * The core of streams for a Nest process: the streams namespace (provisioned at bootstrap), the stream
 * catalog and directory, schema validation. Importing it starts nothing; it uses the process's one
 * PulsarAdmin and DataSource, so the app imports GyreCoreModule.
 */
@Module({
  providers: [
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
    StreamDirectory,
    StreamCatalog,
    StreamSchemas,
  ],
  exports: [StreamNamespace, StreamDirectory, StreamCatalog, StreamSchemas],
})
export class StreamsModule {}
