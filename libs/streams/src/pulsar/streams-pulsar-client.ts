import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { AuthenticationToken, Client } from '@gyre/pulsar';

/**
 * The one Pulsar client of the process, shared by the stream producers and the HTTP consumers: one
 * connection per broker instead of one per use. Created on first use, closed at shutdown.
 */
@Injectable()
export class StreamsPulsarClient implements OnApplicationShutdown {
  private readonly logger = new Logger('StreamsPulsarClient');
  private client?: Client;

  constructor(private readonly config: GyreConfig) {}

  get(): Client {
    if (!this.client) {
      const { serviceUrl, authToken } = this.config.pulsar;
      const timeoutSeconds = Math.max(1, Math.ceil(this.config.ingest.sendTimeoutMs / 1000));
      this.client = new Client({
        serviceUrl,
        authentication: authToken ? new AuthenticationToken({ token: authToken }) : undefined,
        operationTimeoutSeconds: timeoutSeconds,
        connectionTimeoutMs: Math.min(10_000, this.config.ingest.sendTimeoutMs),
      });
      this.client.on('reconnecting', (event) =>
        this.logger.warn({ msg: 'pulsar reconnecting', topic: event.topic, attempt: event.attempt }),
      );
    }
    return this.client;
  }

  /** Drains producers and closes consumers and connections. */
  async onApplicationShutdown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }
}
