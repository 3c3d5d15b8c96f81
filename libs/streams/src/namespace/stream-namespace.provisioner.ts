import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PulsarAdminError } from '@gyre/pulsar-admin';
import { StreamNamespace } from './stream-namespace';

const ATTEMPTS = 10;

/**
 * Provisions the streams namespace when a Gyre process starts. The broker may still be starting
 * (docker-compose, a restart), so retriable admin failures are retried before the start is refused.
 */
@Injectable()
export class StreamNamespaceProvisioner implements OnApplicationBootstrap {
  private readonly logger = new Logger('StreamNamespace');

  constructor(private readonly namespace: StreamNamespace) {}

  async onApplicationBootstrap(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const report = await this.namespace.provision();
        this.logger.log({ msg: 'streams namespace ready', ...report });
        return;
      } catch (error) {
        const retriable = error instanceof PulsarAdminError && error.retriable;
        if (!retriable || attempt === ATTEMPTS) throw error;
        this.logger.warn({
          msg: 'Pulsar not ready; retrying namespace provisioning',
          attempt,
          reason: String(error),
        });
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 5000)));
      }
    }
  }
}
