import { Injectable } from '@nestjs/common';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import {
  MessagePosition,
  parseMessagePosition,
  parseTimestamp,
  partitionOf,
  StreamsError,
} from '@gyre/streams';
import { PartitionBacklog } from './backlog-age';
import { messageCountOf, messagesOfEntry, PeekedMessage } from './peeked-messages';
import { adminCall } from './pulsar-call';
import { partitionTopic, StreamTopic, StreamTopics } from './stream-topics';
import { partitionBacklogs, subscriptionView, SubscriptionView } from './subscription-view';

export const MAX_PEEK = 100;
/** Backlogs up to this many entries per partition are counted message by message (one peek per entry). */
const COUNTED_ENTRIES = 100;
const SUBSCRIPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export type StartPosition = { at: 'earliest' | 'latest' } | { messageId: string };
export type ResetTarget = { timestamp: string | number } | { messageId: string };

/** Where a subscription's cursors stand, per partition: what the audit log records before and after. */
type CursorState = Record<string, { markDeletePosition: string; backlog: number }>;

/**
 * Operators' work on a stream's subscriptions, through Pulsar's admin API. Partitioned topics take
 * create, delete, reset-by-time and clear-backlog as a whole; skip, reset-to-a-message and peek are
 * per partition (the broker refuses them on the partitioned topic).
 */
@Injectable()
export class SubscriptionOperations {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly topics: StreamTopics,
  ) {}

  async list(stream: string): Promise<SubscriptionView[]> {
    const { topic } = await this.topics.resolve(stream);
    const stats = await adminCall(() => this.admin.partitionedStats(topic));
    const now = Date.now();
    return Promise.all(
      Object.entries(stats.subscriptions ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(async ([name, totals]) => {
          const partitions = await this.withOldestPublishTimes(
            topic,
            name,
            partitionBacklogs(stats, topic, name),
          );
          return subscriptionView(name, totals, partitions, now);
        }),
    );
  }

  async describe(stream: string, subscription: string): Promise<SubscriptionView> {
    await this.topics.resolveSubscription(stream, subscription);
    const view = (await this.list(stream)).find((candidate) => candidate.name === subscription);
    if (!view) throw new StreamsError('SUBSCRIPTION_NOT_FOUND', `no subscription "${subscription}"`);
    return view;
  }

  async create(
    stream: string,
    subscription: string,
    start: StartPosition,
    actor: string,
  ): Promise<SubscriptionView> {
    const resolved = await this.topics.resolve(stream);
    if (!SUBSCRIPTION_NAME.test(subscription))
      throw new StreamsError('INVALID_POLICY', `not a subscription name: ${JSON.stringify(subscription)}`, {
        problems: [{ pointer: '/name', detail: `must match ${SUBSCRIPTION_NAME.source}` }],
      });
    const position = 'messageId' in start ? this.positionIn(resolved, start.messageId) : undefined;
    const existing = await adminCall(() => this.admin.listSubscriptions(resolved.topic));
    if (existing.includes(subscription)) throw exists(stream, subscription);
    await adminCall(
      () =>
        this.admin.createSubscription(
          resolved.topic,
          subscription,
          position ? 'latest' : (start as { at: 'earliest' | 'latest' }).at,
        ),
      (error) => (error.code === 'conflict' ? exists(stream, subscription) : undefined),
    );
    // A message id belongs to one partition: that partition starts there, the others at the latest.
    if (position) await this.resetTo(resolved, subscription, position);
    const after = await this.cursorState(resolved.topic, subscription);
    await this.topics.audit(actor, 'subscription.create', target(stream, subscription), null, {
      start,
      cursors: after,
    });
    return this.describe(stream, subscription);
  }

  /** Deletes the subscription on every partition; connected consumers are disconnected. */
  async delete(stream: string, subscription: string, actor: string): Promise<void> {
    const { topic } = await this.topics.resolveSubscription(stream, subscription);
    const before = await this.cursorState(topic, subscription);
    await adminCall(() => this.admin.deleteSubscription(topic, subscription));
    await this.topics.audit(
      actor,
      'subscription.delete',
      target(stream, subscription),
      { cursors: before },
      null,
    );
  }

  async resetCursor(
    stream: string,
    subscription: string,
    to: ResetTarget,
    actor: string,
  ): Promise<SubscriptionView> {
    const resolved = await this.topics.resolveSubscription(stream, subscription);
    const timestamp = 'timestamp' in to ? parseTimestamp(to.timestamp) : undefined;
    const position = 'messageId' in to ? this.positionIn(resolved, to.messageId) : undefined;
    const before = await this.cursorState(resolved.topic, subscription);
    if (timestamp !== undefined)
      await adminCall(() => this.admin.resetCursorToTime(resolved.topic, subscription, timestamp));
    else await this.resetTo(resolved, subscription, position!);
    const after = await this.cursorState(resolved.topic, subscription);
    await this.topics.audit(
      actor,
      'subscription.reset-cursor',
      target(stream, subscription),
      { cursors: before },
      { to, cursors: after },
    );
    return this.describe(stream, subscription);
  }

  /** Acknowledges the next `count` messages of one partition (of the only one when there is one). */
  async skip(
    stream: string,
    subscription: string,
    count: number,
    partition: number | undefined,
    actor: string,
  ): Promise<SubscriptionView> {
    const resolved = await this.topics.resolveSubscription(stream, subscription);
    const index = this.partitionIndex(resolved, partition);
    const before = await this.cursorState(resolved.topic, subscription);
    await adminCall(() =>
      this.admin.skipMessages(partitionTopic(resolved.topic, index), subscription, count),
    );
    const after = await this.cursorState(resolved.topic, subscription);
    await this.topics.audit(
      actor,
      'subscription.skip',
      target(stream, subscription),
      { cursors: before },
      { count, partition: index, cursors: after },
    );
    return this.describe(stream, subscription);
  }

  /** Acknowledges everything in the subscription; `confirm` must repeat the subscription name. */
  async clearBacklog(
    stream: string,
    subscription: string,
    confirm: string | undefined,
    actor: string,
  ): Promise<SubscriptionView> {
    requireConfirmation(confirm, subscription, 'clearing a backlog acknowledges every message in it');
    const { topic } = await this.topics.resolveSubscription(stream, subscription);
    const before = await this.cursorState(topic, subscription);
    await adminCall(() => this.admin.clearBacklog(topic, subscription));
    const after = await this.cursorState(topic, subscription);
    await this.topics.audit(
      actor,
      'subscription.clear-backlog',
      target(stream, subscription),
      { cursors: before },
      { cursors: after },
    );
    return this.describe(stream, subscription);
  }

  /**
   * The next `count` unacknowledged messages, without consuming them: per partition, entries are
   * peeked one by one (a batched entry yields all its messages) until `count` messages are read, then
   * the partitions are merged by publish time.
   */
  async peek(
    stream: string,
    subscription: string,
    count: number,
    partition?: number,
  ): Promise<PeekedMessage[]> {
    const resolved = await this.topics.resolveSubscription(stream, subscription);
    const partitions =
      partition === undefined
        ? Array.from({ length: resolved.partitions }, (_, index) => index)
        : [this.partitionIndex(resolved, partition)];
    const perPartition = await Promise.all(
      partitions.map((index) =>
        peekPartition(this.admin, partitionTopic(resolved.topic, index), subscription, index, count),
      ),
    );
    return perPartition
      .flat()
      .sort((a, b) => (a.publishTime ?? '').localeCompare(b.publishTime ?? ''))
      .slice(0, count);
  }

  /**
   * Per partition with a backlog: the publish time of its first unacknowledged entry (peek position 1),
   * and, up to COUNTED_ENTRIES entries, the exact number of messages (batches split by their size).
   */
  private async withOldestPublishTimes(
    topic: string,
    subscription: string,
    partitions: PartitionBacklog[],
  ): Promise<PartitionBacklog[]> {
    return Promise.all(
      partitions.map(async (partition) => {
        if (partition.backlog <= 0) return { ...partition, messages: 0 };
        const name = partitionTopic(topic, partition.partition);
        const first = await adminCall(() => this.admin.peekEntry(name, subscription, 1));
        if (!first) return partition;
        const published = messagesOfEntry(first, partition.partition)[0]?.publishTime;
        const withTime = published ? { ...partition, oldestPublishTime: Date.parse(published) } : partition;
        if (partition.backlog > COUNTED_ENTRIES) return withTime;
        let messages = messageCountOf(first);
        for (let n = 2; n <= partition.backlog; n++) {
          const entry = await adminCall(() => this.admin.peekEntry(name, subscription, n));
          if (!entry) break;
          messages += messageCountOf(entry);
        }
        return { ...withTime, messages };
      }),
    );
  }

  private positionIn(resolved: StreamTopic, messageId: string): MessagePosition {
    const position = parseMessagePosition(messageId);
    return { ...position, partition: partitionOf(position, resolved.partitions) };
  }

  private partitionIndex(resolved: StreamTopic, partition: number | undefined): number {
    if (partition === undefined && resolved.partitions === 1) return 0;
    if (
      partition !== undefined &&
      Number.isInteger(partition) &&
      partition >= 0 &&
      partition < resolved.partitions
    )
      return partition;
    throw new StreamsError(
      'INVALID_POLICY',
      partition === undefined
        ? `stream "${resolved.stream}" has ${resolved.partitions} partitions: name one with ?partition=`
        : `partition ${partition} does not exist; stream "${resolved.stream}" has ${resolved.partitions}`,
      { problems: [{ pointer: '/query/partition', detail: `must be 0 to ${resolved.partitions - 1}` }] },
    );
  }

  private async resetTo(
    resolved: StreamTopic,
    subscription: string,
    position: MessagePosition,
  ): Promise<void> {
    await adminCall(() =>
      this.admin.resetCursorToPosition(partitionTopic(resolved.topic, position.partition), subscription, {
        ledgerId: position.ledgerId,
        entryId: position.entryId,
        partitionIndex: position.partition,
        ...(position.batchIndex >= 0 ? { batchIndex: position.batchIndex } : {}),
      }),
    );
  }

  private async cursorState(topic: string, subscription: string): Promise<CursorState> {
    const stats = await adminCall(() => this.admin.partitionedInternalStats(topic));
    const backlogs = await adminCall(() => this.admin.partitionedStats(topic));
    const state: CursorState = {};
    for (const [name, partition] of Object.entries(stats.partitions ?? {})) {
      const cursor = partition.cursors?.[subscription];
      if (!cursor) continue;
      state[name.slice(topic.length + 1)] = {
        markDeletePosition: cursor.markDeletePosition,
        backlog: backlogs.partitions?.[name]?.subscriptions?.[subscription]?.msgBacklog ?? 0,
      };
    }
    return state;
  }
}

/** Reads up to `count` messages of one partition's subscription by peeking entry after entry. */
export async function peekPartition(
  admin: PulsarAdmin,
  topic: string,
  subscription: string,
  partition: number,
  count: number,
): Promise<PeekedMessage[]> {
  const messages: PeekedMessage[] = [];
  for (let n = 1; messages.length < count; n++) {
    const entry = await adminCall(() => admin.peekEntry(topic, subscription, n));
    if (!entry) break;
    messages.push(...messagesOfEntry(entry, partition));
  }
  return messages.slice(0, count);
}

export function requireConfirmation(confirm: string | undefined, name: string, why: string): void {
  if (confirm !== name)
    throw new StreamsError('OPERATION_NOT_CONFIRMED', `${why}: confirm with ?confirm=${name}`, {
      problems: [{ pointer: '/query/confirm', detail: `must equal "${name}"` }],
    });
}

function exists(stream: string, subscription: string): StreamsError {
  return new StreamsError(
    'SUBSCRIPTION_EXISTS',
    `stream "${stream}" already has a subscription "${subscription}"`,
  );
}

function target(stream: string, subscription: string): string {
  return `stream/${stream}/subscription/${subscription}`;
}
