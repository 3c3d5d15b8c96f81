import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@gyre/pulsar';

/**
 * Closes the process's Pulsar client last: Nest runs every beforeApplicationShutdown (stages drain,
 * replays hand back) before any onApplicationShutdown, so nothing still needs the client here.
 */
@Injectable()
export class PulsarClientLifecycle implements OnApplicationShutdown {
  constructor(private readonly client: Client) {}

  /** Drains producers and closes consumers, readers and connections. */
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
