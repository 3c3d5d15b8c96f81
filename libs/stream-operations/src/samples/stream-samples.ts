import { Injectable } from '@nestjs/common';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { adminCall } from '../operations/pulsar-call';
import { StreamTopics } from '../operations/stream-topics';
import { SampleRing, StreamSample } from './sample-ring';

/**
 * The console's time series of a stream: rate in, storage and per-subscription backlog, sampled from
 * Pulsar's partitioned stats when read (at most once a second) and kept in a bounded ring in this
 * process. Where Prometheus scrapes Gyre, its metrics are the durable history (deploy/grafana).
 */
@Injectable()
export class StreamSamples {
  private readonly ring = new SampleRing();

  constructor(
    private readonly admin: PulsarAdmin,
    private readonly topics: StreamTopics,
  ) {}

  async read(stream: string): Promise<StreamSample[]> {
    const { topic } = await this.topics.resolve(stream);
    const now = Date.now();
    if (!this.ring.due(stream, now)) return this.ring.read(stream);
    const stats = await adminCall(() => this.admin.partitionedStats(topic));
    const subscriptions: StreamSample['subscriptions'] = {};
    for (const [name, subscription] of Object.entries(stats.subscriptions ?? {}))
      subscriptions[name] = { backlog: subscription.msgBacklog, rateOut: subscription.msgRateOut };
    return this.ring.add(stream, {
      at: now,
      messagesIn: stats.msgInCounter ?? 0,
      storageBytes: stats.storageSize ?? 0,
      subscriptions,
    });
  }
}
