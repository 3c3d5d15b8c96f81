import { AlreadyClosedError, InvalidArgumentError } from '../errors';
import { MessageId } from '../codec/message-id';
import { ClientContext } from '../client-context';
import { fullTopicName, partitionTargets } from '../lookup/topic-name';
import type { Producer } from '../producer/producer';
import type { ProducerConfig } from '../producer/options';
import type { DeadLetterRouter } from './dead-letter';
import { HeldEntries } from './held-entries';
import { letterRouters } from './letter-routers';
import { withoutPartition } from './letter-topics';
import { Message } from './message';
import { resolveBatchReceivePolicy } from './batch-receive-policy';
import { ConsumerOptions, checkConsumerOptions, partitionSubscription } from './options';
import { MessageSink, PartitionConsumer } from './partition-consumer';
import { PatternTopicsOwner, PatternWatcher, discoverTopics } from './pattern-watcher';
import { ReceiveQueue } from './receive-queue';
import { RedeliveryTracker } from './redelivery-tracker';
import type { RetryLetterRouter } from './retry-letter';
import { TOPICS_MODES, parseTopicsPattern } from './topics-pattern';
import { Transaction } from '../transaction/transaction';
import { registerSubscriptions } from '../transaction/txn-ack';

/** The consumer options of the official Node client, listener included. */
export interface ConsumerConfig extends ConsumerOptions {
  listener?: (message: Message, consumer: Consumer) => void | Promise<void>;
}

/** A subscription over one or more topics (named, or matching a pattern) and their partitions, one queue. */
export class Consumer implements MessageSink, PatternTopicsOwner {
  private partitions: PartitionConsumer[] = [];
  /** Which partition an id came from, needed only with several partitions (see partitionOf). */
  private readonly owner = new WeakMap<MessageId, PartitionConsumer>();
  private readonly queue: ReceiveQueue<Message, PartitionConsumer>;
  private watcher?: PatternWatcher;
  private readonly nacks: RedeliveryTracker;
  private readonly unacked?: RedeliveryTracker;
  private readonly deadLetter?: DeadLetterRouter;
  private readonly retryLetter?: RetryLetterRouter;
  private readonly rewindsAll: boolean;
  /** Shared/Key_Shared: redeliveries held while siblings of their batch entry are in flight, per partition. */
  private readonly held = new Map<PartitionConsumer, HeldEntries>();
  /** Several topics or partitions: REAL_TOPIC then names the topic, not the partition (as in Java). */
  private multiTopic = false;
  private listening = false;
  private closed = false;

  private constructor(
    private readonly client: ClientContext,
    private readonly config: ConsumerConfig,
    createProducer: (config: ProducerConfig) => Promise<Producer>,
    readonly topicNames: string[],
  ) {
    const subType = config.subscriptionType ?? 'Exclusive';
    const batchPolicy = resolveBatchReceivePolicy(
      config.batchReceivePolicy,
      config.receiverQueueSize ?? 1000,
    );
    this.queue = new ReceiveQueue(batchPolicy, (message, source) => this.handOut(message, source));
    this.rewindsAll = subType === 'Exclusive' || subType === 'Failover';
    this.nacks = new RedeliveryTracker(config.nAckRedeliverTimeoutMs ?? 60_000, (ids) => this.redeliver(ids));
    if (config.ackTimeoutMs)
      this.unacked = new RedeliveryTracker(config.ackTimeoutMs, (ids) => this.redeliver(ids));
    ({ deadLetter: this.deadLetter, retryLetter: this.retryLetter } = letterRouters(
      config,
      topicNames,
      createProducer,
    ));
  }

  /** @internal Used by Client.subscribe. */
  static async create(
    client: ClientContext,
    config: ConsumerConfig,
    createProducer: (config: ProducerConfig) => Promise<Producer>,
  ): Promise<Consumer> {
    checkConsumerOptions(config);
    const named = config.topics ?? (config.topic ? [config.topic] : []);
    const pattern = config.topicsPattern === undefined ? undefined : parseTopicsPattern(config.topicsPattern);
    const mode = TOPICS_MODES[config.regexSubscriptionMode ?? 'PersistentOnly'];
    const matched = pattern ? await discoverTopics(client.lookup, pattern, mode) : [];
    const names = pattern ? matched : named.map(fullTopicName);
    if (names.length === 0 && (config.deadLetterPolicy || config.enableRetry))
      throw new InvalidArgumentError(
        `topicsPattern ${config.topicsPattern} matches no topic yet: the dead/retry letter topics need one`,
      );
    const consumer = new Consumer(client, config, createProducer, names);
    consumer.multiTopic = names.length > 1 || pattern !== undefined;
    try {
      for (const topic of names) consumer.partitions.push(...(await consumer.partitionsOf(topic)));
      const started = await Promise.allSettled(consumer.partitions.map((partition) => partition.start()));
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      await consumer.close().catch(() => undefined);
      throw error;
    }
    if (config.listener) consumer.listening = true;
    if (pattern) {
      consumer.watcher = new PatternWatcher(
        client.lookup,
        client.instrumentation,
        pattern,
        mode,
        consumer,
        matched,
      );
      consumer.watcher.start((config.patternAutoDiscoveryPeriod ?? 60) * 1000);
    }
    return consumer;
  }

  /** Resolves with the next message; rejects with TIMEOUT after `timeoutMs` if given. */
  receive(timeoutMs?: number): Promise<Message> {
    if (this.closed) return Promise.reject(new AlreadyClosedError('consumer'));
    if (this.listening)
      return Promise.reject(new InvalidArgumentError('receive() cannot be used with a listener'));
    return this.queue.receive(timeoutMs);
  }

  /**
   * Resolves with the messages received once `batchReceivePolicy` allows (maxNumMessages or maxNumBytes
   * reached), or at its timeoutMs with those received by then, possibly none, as the official client.
   */
  batchReceive(): Promise<Message[]> {
    if (this.closed) return Promise.reject(new AlreadyClosedError('consumer'));
    if (this.listening)
      return Promise.reject(new InvalidArgumentError('batchReceive() cannot be used with a listener'));
    return this.queue.batchReceive();
  }

  /** With `txn`, the ack takes effect when the transaction commits; after an abort, nack to redeliver. */
  /** Resolves with `null`, as every acknowledge, seek, unsubscribe and close of the official client. */
  acknowledge(message: Message, txn?: Transaction): Promise<null> {
    return this.acknowledgeId(message.getMessageId(), txn);
  }

  async acknowledgeId(id: MessageId, txn?: Transaction): Promise<null> {
    this.nacks.remove(id);
    this.unacked?.remove(id);
    const partition = this.partitionOf(id);
    // A transactional ack settles the message for its held siblings too: after an abort the caller nacks it.
    if (txn) await txn.track(partition.acknowledgeInTransaction([id], txn));
    else partition.acknowledge(id);
    this.settle(partition, id);
    return null;
  }

  /**
   * Acknowledges every message with `txn` in one ack command per partition (as the Java client's
   * acknowledgeAsync(List, txn)) rather than one per message; as acknowledge, effective once it commits.
   */
  async acknowledgeAll(messages: readonly Message[], txn: Transaction): Promise<null> {
    const byPartition = new Map<PartitionConsumer, MessageId[]>();
    for (const message of messages) {
      const id = message.getMessageId();
      this.nacks.remove(id);
      this.unacked?.remove(id);
      const partition = this.partitionOf(id);
      const ids = byPartition.get(partition);
      if (ids) ids.push(id);
      else byPartition.set(partition, [id]);
    }
    await txn.track(
      Promise.all([...byPartition].map(([partition, ids]) => partition.acknowledgeInTransaction(ids, txn))),
    );
    for (const [partition, ids] of byPartition) for (const id of ids) this.settle(partition, id);
    return null;
  }

  /**
   * Registers this subscription with `txn` ahead of its acks, on every partition or those of `topics` (partition
   * topic names): see registerSubscriptions. (An extension of the official API.)
   */
  registerTransaction(txn: Transaction, topics?: readonly string[]): Promise<void> {
    const subs = this.partitions.map((partition) => partition.sub);
    return registerSubscriptions(txn, subs, topics);
  }

  /** After an ack was sent: no copy of the message is handed out again, and its held siblings go on. */
  private settle(partition: PartitionConsumer, id: MessageId): void {
    // After a reconnect the broker redelivers what was unacked then: a copy of a message handed out before
    // may wait in the queue when its ack comes. Acked, it must not be handed out again. Without a reconnect
    // there is no such copy, and the ack skips the scan (the hot path of a fast consumer).
    if (partition.hasReattached && this.queue.length > 0)
      this.queue.remove((queued) => queued.getMessageId().equals(id));
    const released = this.held.get(partition)?.acked(id);
    if (released?.length) partition.redeliver(released);
  }

  acknowledgeCumulative(message: Message): Promise<null> {
    return this.acknowledgeCumulativeId(message.getMessageId());
  }

  async acknowledgeCumulativeId(id: MessageId): Promise<null> {
    if (!this.rewindsAll)
      throw new InvalidArgumentError(
        'CumulativeAcknowledgementNotAllowedError: cumulative ack is only allowed on Exclusive and Failover subscriptions',
      );
    this.nacks.removeUpTo(id);
    this.unacked?.removeUpTo(id);
    this.partitionOf(id).acknowledgeCumulative(id);
    return null;
  }

  /**
   * Redelivers the message after `delayMs`, nAckRedeliverTimeoutMs by default (a per-message delay is an
   * extension of the official API). Exclusive/Failover rewind to the oldest unacked message.
   */
  negativeAcknowledge(message: Message, delayMs?: number): void {
    this.negativeAcknowledgeId(message.getMessageId(), delayMs);
  }

  negativeAcknowledgeId(id: MessageId, delayMs?: number): void {
    if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0))
      throw new InvalidArgumentError(`negative-ack delay must be a finite number >= 0, got ${delayMs}`);
    this.unacked?.remove(id);
    this.nacks.add(id, delayMs);
  }

  /**
   * As the Java client's reconsumeLater (needs `enableRetry`): publishes a copy to the retry-letter topic,
   * delivered again after `delayMs` (Shared/Key_Shared only: other subscriptions ignore delays), with
   * RECONSUMETIMES counted up, or to the dead-letter topic once that exceeds maxRedeliverCount; then
   * acknowledges the original. Rejects (leaving the message unacked) if the letter cannot be published.
   */
  async reconsumeLater(
    message: Message,
    delayMs: number,
    properties?: Record<string, string>,
  ): Promise<void> {
    if (!this.retryLetter)
      throw new InvalidArgumentError('reconsumeLater needs a consumer subscribed with enableRetry: true');
    if (this.closed) throw new AlreadyClosedError('consumer');
    if (!Number.isFinite(delayMs))
      throw new InvalidArgumentError(`reconsumeLater delay must be a finite number, got ${delayMs}`);
    await this.retryLetter.reconsume(message, this.realTopic(message), delayMs, properties);
    await this.acknowledge(message);
  }

  /**
   * Moves the subscription to just after `id` (its partition, or every partition for earliest/latest), as
   * the official client: the next message is the one after `id`. Resolves once the consumer is re-attached.
   */
  async seek(id: MessageId): Promise<null> {
    const targets =
      id.partition >= 0 && this.partitions.length > 1
        ? this.partitions.filter((p) => p.sub.partition === id.partition)
        : this.partitions;
    this.resetTracking();
    await Promise.all(targets.map((partition) => partition.seek(id)));
    return null;
  }

  /** Moves every partition to the first message published at or after `timestamp` (ms). */
  async seekTimestamp(timestamp: number): Promise<null> {
    this.resetTracking();
    await Promise.all(this.partitions.map((partition) => partition.seek(timestamp)));
    return null;
  }

  isConnected(): boolean {
    return this.partitions.every((partition) => partition.isConnected);
  }

  async unsubscribe(): Promise<null> {
    await this.shutdown(true);
    return null;
  }

  /** Flushes pending acks and closes; pending receive() calls reject with ALREADY_CLOSED. */
  async close(): Promise<null> {
    await this.shutdown(false);
    return null;
  }

  /** @internal From partition consumers. */
  deliver(messages: Message[], source?: PartitionConsumer): void {
    // A pattern consumer may gain topics: ids of every partition need their owner from the start.
    const tracksOwners = this.partitions.length > 1 || this.multiTopic;
    for (const message of messages) {
      const partition = source ?? this.partitionByTopic(message.getTopicName());
      if (tracksOwners) this.owner.set(message.getMessageId(), partition);
      this.heldFor(partition)?.delivered(message.getMessageId());
      if (this.deadLetter?.shouldDivert(message)) {
        partition.messageConsumed(message);
        void this.deadLetter.divert(message, this.realTopic(message)).then(
          () => this.acknowledge(message),
          () => this.negativeAcknowledge(message),
        );
        continue;
      }
      this.queue.push(message, partition);
    }
    if (this.listening) void this.drainToListener();
  }

  /** @internal From partition consumers. */
  dropQueued(source: PartitionConsumer): number {
    // A reconnect or rewind: the broker redelivers everything unacked, held or not.
    this.held.get(source)?.clear();
    return this.queue.drop(source);
  }

  /** @internal From the pattern watcher: subscribes to topics that now match, each on its own. */
  async addTopics(topics: string[]): Promise<void> {
    let failure: unknown;
    for (const topic of topics) {
      if (this.closed || this.topicNames.includes(topic)) continue;
      try {
        const partitions = await this.partitionsOf(topic);
        const started = await Promise.allSettled(partitions.map((partition) => partition.start()));
        const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed || this.closed) {
          await Promise.allSettled(partitions.map((partition) => partition.close()));
          if (failed) throw failed.reason;
          continue;
        }
        this.partitions.push(...partitions);
        this.topicNames.push(topic);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
  }

  /** @internal From the pattern watcher: closes the consumers of topics that no longer exist or match. */
  async removeTopics(topics: string[]): Promise<void> {
    const gone = this.partitions.filter((partition) =>
      topics.includes(partition.topic.replace(/-partition-\d+$/, '')),
    );
    this.partitions = this.partitions.filter((partition) => !gone.includes(partition));
    for (const topic of topics) {
      const at = this.topicNames.indexOf(topic);
      if (at >= 0) this.topicNames.splice(at, 1);
    }
    for (const partition of gone) {
      this.dropQueued(partition);
      this.held.delete(partition);
    }
    await Promise.allSettled(gone.map((partition) => partition.close()));
  }

  /** The partition consumers (not started) of one topic: one, or one per partition. */
  private async partitionsOf(topic: string): Promise<PartitionConsumer[]> {
    const count = await this.client.lookup.getPartitionedTopicMetadata(topic);
    if (count > 0) this.multiTopic = true;
    return partitionTargets(topic, count).map(
      (target) =>
        new PartitionConsumer(
          this.client,
          partitionSubscription(this.config, target),
          this,
          this.config.batchIndexAckEnabled ?? true,
        ),
    );
  }

  private handOut(message: Message, source: PartitionConsumer): Message {
    source.messageConsumed(message);
    this.unacked?.add(message.getMessageId());
    return message;
  }

  private draining = false;

  private async drainToListener(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let message = this.queue.shift(); message && !this.closed; message = this.queue.shift()) {
        try {
          await this.config.listener?.(message, this);
        } catch {
          // A throwing listener means "not processed": redeliver later rather than lose it.
          this.negativeAcknowledge(message);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private redeliver(ids: MessageId[]): void {
    const byPartition = new Map<PartitionConsumer, MessageId[]>();
    for (const id of ids) {
      const partition = this.partitionOf(id);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), id]);
    }
    for (const [partition, list] of byPartition) {
      if (this.rewindsAll) partition.redeliver(undefined);
      else {
        const now = this.heldFor(partition)!.due(list);
        if (now.length > 0) partition.redeliver(now);
      }
    }
  }

  private heldFor(partition: PartitionConsumer): HeldEntries | undefined {
    if (this.rewindsAll) return undefined;
    let held = this.held.get(partition);
    if (!held) {
      held = new HeldEntries();
      this.held.set(partition, held);
    }
    return held;
  }

  private partitionOf(id: MessageId): PartitionConsumer {
    const only = this.partitions.length === 1 ? this.partitions[0] : undefined;
    if (only && only.sub.partition === id.partition) return only;
    const owner = this.owner.get(id);
    if (owner) return owner;
    const match = this.partitions.find((partition) => partition.sub.partition === id.partition);
    if (!match)
      throw new InvalidArgumentError(`message id ${id.toString()} does not belong to this consumer`);
    return match;
  }

  private realTopic(message: Message): string {
    return this.multiTopic ? withoutPartition(message.getTopicName()) : message.getTopicName();
  }

  private partitionByTopic(topic: string): PartitionConsumer {
    return this.partitions.find((partition) => partition.topic === topic) ?? this.partitions[0];
  }

  private resetTracking(): void {
    for (const held of this.held.values()) held.clear();
    this.nacks.clear();
    this.unacked?.clear();
  }

  private async shutdown(unsubscribe: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher?.stop();
    this.nacks.stop();
    this.unacked?.stop();
    this.queue.close(new AlreadyClosedError('consumer'));
    const results = await Promise.allSettled(
      this.partitions.map((partition) => partition.close(unsubscribe)),
    );
    await Promise.all([this.deadLetter?.close(), this.retryLetter?.close()]);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed && unsubscribe) throw failed.reason;
  }
}
