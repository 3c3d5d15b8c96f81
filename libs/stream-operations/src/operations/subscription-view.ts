import type { PartitionedTopicStats, SubscriptionStats } from '@gyre/pulsar-admin';
import { BacklogAge, backlogAge, PartitionBacklog } from './backlog-age';

/** A subscription of a stream with its backlog in messages and in time, and its rates. */
export interface SubscriptionView {
  name: string;
  type: string;
  backlog: BacklogAge;
  msgRateOut: number;
  msgThroughputOut: number;
  messageAckRate: number;
  msgRateRedeliver: number;
  unackedMessages: number;
  consumers: number;
  partitions: Array<{
    partition: number;
    entries: number;
    messages: number | null;
    oldestPublishTime: string | null;
  }>;
}

/** Per subscription, the backlog of each partition, read from partitioned stats. */
export function partitionBacklogs(
  stats: PartitionedTopicStats,
  topic: string,
  subscription: string,
): PartitionBacklog[] {
  return Object.entries(stats.partitions ?? {}).map(([name, partition]) => ({
    partition: partitionIndexOf(name, topic),
    backlog: partition.subscriptions?.[subscription]?.msgBacklog ?? 0,
  }));
}

export function subscriptionView(
  name: string,
  totals: SubscriptionStats,
  partitions: PartitionBacklog[],
  nowMs: number,
): SubscriptionView {
  return {
    name,
    type: totals.type,
    backlog: backlogAge(partitions, nowMs),
    msgRateOut: totals.msgRateOut ?? 0,
    msgThroughputOut: totals.msgThroughputOut ?? 0,
    messageAckRate: totals.messageAckRate ?? 0,
    msgRateRedeliver: totals.msgRateRedeliver ?? 0,
    unackedMessages: totals.unackedMessages ?? 0,
    consumers: totals.consumers?.length ?? 0,
    partitions: [...partitions]
      .sort((a, b) => a.partition - b.partition)
      .map((partition) => ({
        partition: partition.partition,
        entries: partition.backlog,
        messages: partition.messages ?? null,
        oldestPublishTime:
          partition.oldestPublishTime === undefined
            ? null
            : new Date(partition.oldestPublishTime).toISOString(),
      })),
  };
}

export function partitionIndexOf(partitionTopicName: string, topic: string): number {
  const suffix = partitionTopicName.slice(topic.length);
  const match = /^-partition-(\d+)$/.exec(suffix);
  return match ? Number(match[1]) : -1;
}
