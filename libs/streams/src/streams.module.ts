import { Module } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { StreamNamespace } from './namespace/stream-namespace';
import { StreamNamespaceProvisioner } from './namespace/stream-namespace.provisioner';

/** The streams domain for a Nest process; provisions the streams namespace at start-up. Needs GyreConfigModule. */
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
  ],
  exports: [PulsarAdmin, StreamNamespace],
})
export class StreamsModule {}
