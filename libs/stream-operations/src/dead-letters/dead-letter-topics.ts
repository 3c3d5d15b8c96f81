import { Injectable } from '@nestjs/common';
import { PulsarAdmin, PulsarAdminError } from '@gyre/pulsar-admin';
import { defaultDeadLetterTopic, PROPERTY_ORIGIN_MESSAGE_ID, PROPERTY_REAL_TOPIC } from '@gyre/pulsar';
import { EVENT_PROPERTIES, StreamsError } from '@gyre/streams';
import { backlogAge, BacklogAge } from '../operations/backlog-age';
import { PeekedMessage } from '../operations/peeked-messages';
import { adminCall } from '../operations/pulsar-call';
import { StreamTopics } from '../operations/stream-topics';
import { peekPartition, requireConfirmation } from '../operations/subscription-operations';

/**
 * The DLQ's own subscription: its backlog is what still awaits an operator. Redriving acknowledges a
 * letter there and purging clears it; the letters themselves stay in the topic (infinite retention).
 */
export const REDRIVE_SUBSCRIPTION = 'gyre-redrive';

export interface DeadLetterSummary {
  stream: string;
  subscription: string;
  topic: string;
  /** Letters not yet redriven or purged, and how old the oldest is. */
  pending: BacklogAge;
  /** Every letter ever written, and the storage they take. */
  totalMessages: number;
  storageBytes: number;
  msgRateIn: number;
}

export interface DeadLetterView extends PeekedMessage {
  failure: {
    reason: string | null;
    code: string | null;
    stage: string | null;
    attempts: number | null;
    realTopic: string | null;
    originMessageId: string | null;
  };
}

export interface DeadLetterRef {
  stream: string;
  subscription: string;
  sourceTopic: string;
  partitions: number;
  topic: string;
}

/** A stream subscription's dead-letter topic, `<topic>-<subscription>-DLQ`: its size, letters and purge. */
@Injectable()
export class DeadLetterTopics {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly topics: StreamTopics,
  ) {}

  /** The DLQ of a stream's subscription, with Gyre's redrive subscription on it (created at the earliest). */
  async resolve(stream: string, subscription: string): Promise<DeadLetterRef> {
    const { topic: sourceTopic, partitions } = await this.topics.resolve(stream);
    const topic = defaultDeadLetterTopic(sourceTopic, subscription);
    await adminCall(
      () => this.admin.topicStatsDetail(topic),
      (error) => (error.code === 'not-found' ? notFound(stream, subscription) : undefined),
    );
    await adminCall(() => this.admin.createSubscription(topic, REDRIVE_SUBSCRIPTION, 'earliest')).catch(
      (error: unknown) => {
        const conflict =
          error instanceof StreamsError && (error.cause as PulsarAdminError)?.code === 'conflict';
        if (!conflict) throw error;
      },
    );
    return { stream, subscription, sourceTopic, partitions, topic };
  }

  async summary(stream: string, subscription: string): Promise<DeadLetterSummary> {
    const ref = await this.resolve(stream, subscription);
    const stats = await adminCall(() => this.admin.topicStatsDetail(ref.topic));
    const pending = stats.subscriptions?.[REDRIVE_SUBSCRIPTION]?.msgBacklog ?? 0;
    const first = pending > 0 ? await peekPartition(this.admin, ref.topic, REDRIVE_SUBSCRIPTION, -1, 1) : [];
    const oldest = first[0]?.publishTime ? Date.parse(first[0].publishTime) : undefined;
    return {
      stream,
      subscription,
      topic: ref.topic,
      pending: backlogAge([{ partition: -1, backlog: pending, oldestPublishTime: oldest }], Date.now()),
      totalMessages: stats.msgInCounter ?? 0,
      storageBytes: stats.storageSize ?? 0,
      msgRateIn: stats.msgRateIn ?? 0,
    };
  }

  /** The next `count` letters awaiting an operator, with why each failed. Consumes nothing. */
  async browse(stream: string, subscription: string, count: number): Promise<DeadLetterView[]> {
    const ref = await this.resolve(stream, subscription);
    const letters = await peekPartition(this.admin, ref.topic, REDRIVE_SUBSCRIPTION, -1, count);
    return letters.map((letter) => ({ ...letter, failure: failureOf(letter.properties) }));
  }

  /** Acknowledges every pending letter; `confirm` must repeat the DLQ's name, `<stream>-<subscription>-DLQ`. */
  async purge(
    stream: string,
    subscription: string,
    confirm: string | undefined,
    actor: string,
  ): Promise<DeadLetterSummary> {
    const name = `${stream}-${subscription}-DLQ`;
    requireConfirmation(confirm, name, "purging a dead-letter topic drops its letters from Gyre's redrive");
    const before = await this.summary(stream, subscription);
    await adminCall(() => this.admin.clearBacklog(before.topic, REDRIVE_SUBSCRIPTION));
    const after = await this.summary(stream, subscription);
    await this.topics.audit(
      actor,
      'dead-letter.purge',
      `stream/${stream}/dead-letters/${subscription}`,
      before,
      after,
    );
    return after;
  }
}

export function failureOf(properties: Record<string, string>): DeadLetterView['failure'] {
  const attempts = Number(properties[EVENT_PROPERTIES.attempts]);
  return {
    reason: properties[EVENT_PROPERTIES.failureReason] ?? null,
    code: properties[EVENT_PROPERTIES.failureCode] ?? null,
    stage: properties[EVENT_PROPERTIES.stage] ?? null,
    attempts: Number.isInteger(attempts) ? attempts : null,
    realTopic: properties[PROPERTY_REAL_TOPIC] ?? null,
    originMessageId: properties[PROPERTY_ORIGIN_MESSAGE_ID] ?? null,
  };
}

function notFound(stream: string, subscription: string): StreamsError {
  return new StreamsError(
    'DEAD_LETTER_TOPIC_NOT_FOUND',
    `subscription "${subscription}" of stream "${stream}" has no dead-letter topic`,
  );
}
