import { Injectable } from '@nestjs/common';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { adminCall } from './pulsar-call';
import { StreamTopics } from './stream-topics';
import { partitionIndexOf } from './subscription-view';

export interface ConnectedProducer {
  partition: number;
  name: string;
  address: string;
  connectedSince: string;
  msgRateIn: number;
  msgThroughputIn: number;
  accessMode: string | null;
  clientVersion: string | null;
}

export interface ConnectedConsumer {
  partition: number;
  subscription: string;
  name: string;
  address: string;
  connectedSince: string;
  msgRateOut: number;
  msgThroughputOut: number;
  msgRateRedeliver: number;
  unackedMessages: number;
  availablePermits: number;
  blockedOnUnackedMessages: boolean;
  clientVersion: string | null;
}

/** Producers and consumers connected to each partition of a stream, from the topic stats. */
@Injectable()
export class StreamConnections {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly topics: StreamTopics,
  ) {}

  async of(stream: string): Promise<{ producers: ConnectedProducer[]; consumers: ConnectedConsumer[] }> {
    const { topic } = await this.topics.resolve(stream);
    const stats = await adminCall(() => this.admin.partitionedStats(topic));
    const producers: ConnectedProducer[] = [];
    const consumers: ConnectedConsumer[] = [];
    for (const [name, partitionStats] of Object.entries(stats.partitions ?? {})) {
      const partition = partitionIndexOf(name, topic);
      for (const publisher of partitionStats.publishers ?? [])
        producers.push({
          partition,
          name: publisher.producerName,
          address: publisher.address,
          connectedSince: publisher.connectedSince,
          msgRateIn: publisher.msgRateIn ?? 0,
          msgThroughputIn: publisher.msgThroughputIn ?? 0,
          accessMode: publisher.accessMode ?? null,
          clientVersion: publisher.clientVersion ?? null,
        });
      for (const [subscription, subscriptionStats] of Object.entries(partitionStats.subscriptions ?? {}))
        for (const consumer of subscriptionStats.consumers ?? [])
          consumers.push({
            partition,
            subscription,
            name: consumer.consumerName,
            address: consumer.address,
            connectedSince: consumer.connectedSince,
            msgRateOut: consumer.msgRateOut ?? 0,
            msgThroughputOut: consumer.msgThroughputOut ?? 0,
            msgRateRedeliver: consumer.msgRateRedeliver ?? 0,
            unackedMessages: consumer.unackedMessages ?? 0,
            availablePermits: consumer.availablePermits ?? 0,
            blockedOnUnackedMessages: consumer.blockedConsumerOnUnackedMsgs ?? false,
            clientVersion: consumer.clientVersion ?? null,
          });
    }
    const order = (a: { partition: number; name: string }, b: { partition: number; name: string }) =>
      a.partition - b.partition || a.name.localeCompare(b.name);
    return { producers: producers.sort(order), consumers: consumers.sort(order) };
  }
}
