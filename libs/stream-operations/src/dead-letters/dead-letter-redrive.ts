import { Injectable, Logger } from '@nestjs/common';
import { DeadLetterRedrive } from '@gyre/database';
import { Client, Consumer, Message, Producer, TimeoutError } from '@gyre/pulsar';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { EVENT_PROPERTIES, formatPosition, parseMessagePosition, StreamsError } from '@gyre/streams';
import { partitionTopic, StreamTopics } from '../operations/stream-topics';
import { DeadLetterRef, DeadLetterTopics, REDRIVE_SUBSCRIPTION } from './dead-letter-topics';
import { DeadLetter, planRedrive, RedriveStep, republishedProperties } from './redrive-plan';

export const MAX_REDRIVE = 1000;
const RECEIVE_TIMEOUT_MS = 5000;

export interface RedriveResult {
  redriven: Array<{ deadLetterId: string; messageId: string | null; partition: number; resent: boolean }>;
  /** Letters still awaiting an operator after this redrive. */
  remaining: number;
}

/**
 * Republishes dead letters to their stream (key, properties, event time and payload as they were), then
 * acknowledges them in the DLQ's redrive subscription. Exactly once across crashes: each letter is
 * recorded in gyre_dead_letter_redrives with a partition and sequence id *before* it is published by the
 * DLQ's redrive producer (a fixed name per DLQ), and the namespace's broker deduplication drops a resend
 * of a (producer, sequence id) it already stored. Redrives of one DLQ are serialised by an advisory lock.
 */
@Injectable()
export class DeadLetterRedriver {
  private readonly logger = new Logger('DeadLetterRedriver');

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly deadLetters: DeadLetterTopics,
    private readonly topics: StreamTopics,
  ) {}

  /** Redrives `selected` letters (DLQ ids in either form) or, without a selection, up to `limit` of them. */
  async redrive(
    stream: string,
    subscription: string,
    request: { messageIds?: string[]; limit?: number },
    actor: string,
  ): Promise<RedriveResult> {
    const selected = request.messageIds?.map((id, index) =>
      formatPosition({ ...parseMessagePosition(id, `/messageIds/${index}`), partition: -1 }),
    );
    const ref = await this.deadLetters.resolve(stream, subscription);
    const before = await this.deadLetters.summary(stream, subscription);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Session-level: released by the unlock below, or by Postgres if this process dies.
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [ref.topic]);
      const result = await this.redriveLocked(
        ref,
        before.pending.messages,
        selected,
        request.limit ?? MAX_REDRIVE,
        actor,
        runner.manager,
      );
      await this.topics.audit(
        actor,
        'dead-letter.redrive',
        `stream/${stream}/dead-letters/${subscription}`,
        { pending: before.pending.messages, selected: selected ?? 'all' },
        { redriven: result.redriven, remaining: result.remaining },
      );
      return result;
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [ref.topic]).catch(() => undefined);
      await runner.release();
    }
  }

  private async redriveLocked(
    ref: DeadLetterRef,
    pending: number,
    selected: string[] | undefined,
    limit: number,
    actor: string,
    manager: EntityManager,
  ): Promise<RedriveResult> {
    if (pending === 0) return { redriven: [], remaining: 0 };
    const consumer = await this.client.subscribe({
      topic: ref.topic,
      subscription: REDRIVE_SUBSCRIPTION,
      subscriptionType: 'Shared',
      receiverQueueSize: Math.min(pending, MAX_REDRIVE),
      // Letters redriven before an interruption stay acked even when they shared an entry with others.
      batchIndexAckEnabled: true,
    });
    const producers = new Map<number, Promise<Producer>>();
    try {
      const received = await receiveUpTo(consumer, Math.min(pending, selected ? MAX_REDRIVE : limit));
      const letters = new Map(received.map((message) => [letterId(message), message]));
      const records = await manager.find(DeadLetterRedrive, { where: { deadLetterTopic: ref.topic } });
      const steps = planRedrive({
        letters: [...letters.keys()].map((id) => toLetter(id, letters.get(id)!)),
        records: records.map((record) => ({ ...record, sequenceId: Number(record.sequenceId) })),
        selected: selected ? new Set(selected) : undefined,
        partitions: ref.partitions,
        sourceTopic: ref.sourceTopic,
      });
      const redriven: RedriveResult['redriven'] = [];
      for (const step of steps) {
        const message = letters.get(step.letter.id)!;
        const messageId = await this.apply(step, message, ref, producers, actor, manager);
        await consumer.acknowledge(message);
        redriven.push({
          deadLetterId: step.letter.id,
          messageId,
          partition: step.partition,
          resent: !step.isNew,
        });
      }
      this.logger.log({ msg: 'dead letters redriven', topic: ref.topic, count: redriven.length });
      return { redriven, remaining: Math.max(0, pending - redriven.length) };
    } finally {
      await Promise.allSettled([...producers.values()].map(async (producer) => (await producer).close()));
      // Letters received but not redriven go back to the subscription when the consumer closes.
      await consumer.close().catch(() => undefined);
    }
  }

  private async apply(
    step: RedriveStep,
    message: Message,
    ref: DeadLetterRef,
    producers: Map<number, Promise<Producer>>,
    actor: string,
    manager: EntityManager,
  ): Promise<string | null> {
    const key = { deadLetterTopic: ref.topic, deadLetterId: step.letter.id };
    if (step.action === 'acknowledge')
      return (await manager.findOneByOrFail(DeadLetterRedrive, key)).messageId;
    if (step.isNew)
      await manager.insert(DeadLetterRedrive, {
        ...key,
        stream: ref.stream,
        partition: step.partition,
        sequenceId: String(step.sequenceId),
        state: 'pending',
        actor,
      });
    let producer = producers.get(step.partition);
    if (!producer) {
      producer = this.client.createProducer({
        topic: partitionTopic(ref.sourceTopic, step.partition),
        producerName: redriveProducerName(ref.topic),
        batchingEnabled: false,
      });
      producers.set(step.partition, producer);
    }
    const sent = await (
      await producer
    ).send({
      data: message.getData(),
      partitionKey: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
      eventTimestamp: message.getEventTimestamp() || undefined,
      properties: { ...republishedProperties(step.letter), [EVENT_PROPERTIES.redrivenFrom]: step.letter.id },
      sequenceId: step.sequenceId,
    });
    // A resend the broker recognised as a duplicate has no new id: the letter had landed before.
    const messageId = sent && sent.ledgerId >= 0n ? sent.toOpaqueString() : null;
    await manager.update(DeadLetterRedrive, key, {
      state: 'published',
      messageId,
      publishedAt: () => 'now()',
    });
    return messageId;
  }
}

/** One fixed producer name per DLQ: broker deduplication remembers the highest sequence id per name. */
export function redriveProducerName(deadLetterTopic: string): string {
  return `gyre-redrive-${createHash('sha256').update(deadLetterTopic).digest('hex').slice(0, 16)}`;
}

async function receiveUpTo(consumer: Consumer, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < count) {
    try {
      messages.push(await consumer.receive(RECEIVE_TIMEOUT_MS));
    } catch (error) {
      if (error instanceof TimeoutError) break;
      throw new StreamsError('PULSAR_ADMIN_UNAVAILABLE', 'could not read the dead-letter topic', {
        retriable: true,
        cause: error,
        retryAfterSeconds: 5,
      });
    }
  }
  return messages;
}

function letterId(message: Message): string {
  const id = message.getMessageId();
  return formatPosition({
    ledgerId: Number(id.ledgerId),
    entryId: Number(id.entryId),
    partition: -1,
    batchIndex: id.batchIndex,
  });
}

function toLetter(id: string, message: Message): DeadLetter {
  return {
    id,
    key: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
    properties: message.getProperties(),
  };
}
