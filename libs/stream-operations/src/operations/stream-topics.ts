import { Injectable } from '@nestjs/common';
import { AuditLogEntry, StreamRecord } from '@gyre/database';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { DataSource } from 'typeorm';
import { StreamNamespace, streamNotFound, StreamsError } from '@gyre/streams';
import { adminCall } from './pulsar-call';

/** A stream as the operations see it: its topic and how many partitions it has. */
export interface StreamTopic {
  stream: string;
  topic: string;
  partitions: number;
}

export function partitionTopic(topic: string, partition: number): string {
  return partition < 0 ? topic : `${topic}-partition-${partition}`;
}

/** Finds streams and their subscriptions for the operator endpoints, and records their changes. */
@Injectable()
export class StreamTopics {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admin: PulsarAdmin,
    private readonly namespace: StreamNamespace,
  ) {}

  async resolve(stream: string): Promise<StreamTopic> {
    const record = await this.dataSource.getRepository(StreamRecord).findOneBy({ name: stream });
    if (!record) throw streamNotFound(stream);
    return { stream, topic: this.namespace.topic(stream), partitions: record.partitions };
  }

  /** The stream, after checking the subscription exists (the broker accepts unknown ones silently). */
  async resolveSubscription(stream: string, subscription: string): Promise<StreamTopic> {
    const resolved = await this.resolve(stream);
    await this.requireSubscription(resolved.topic, subscription, `stream "${stream}"`);
    return resolved;
  }

  async requireSubscription(topic: string, subscription: string, owner: string): Promise<void> {
    const subscriptions = await adminCall(() => this.admin.listSubscriptions(topic));
    if (!subscriptions.includes(subscription))
      throw new StreamsError('SUBSCRIPTION_NOT_FOUND', `${owner} has no subscription "${subscription}"`);
  }

  async audit(actor: string, action: string, target: string, before: unknown, after: unknown): Promise<void> {
    await this.dataSource
      .getRepository(AuditLogEntry)
      .save(Object.assign(new AuditLogEntry(), { actor, action, target, before, after }));
  }
}
