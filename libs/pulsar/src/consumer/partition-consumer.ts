import { AlreadyClosedError, PulsarClientError, TimeoutError } from '../errors';
import { MessageId, toMessageIdData } from '../codec/message-id';
import { BaseCommand, CommandType, toLong } from '../codec/protocol';
import { Connection, ConsumerHandler } from '../connection/connection';
import { ClientContext } from '../client-context';
import { reconnectWithBackoff } from '../reconnect';
import { attachWithRetry, retry } from '../retry';
import { ACK_CUMULATIVE, ACK_INDIVIDUAL, AckTracker } from './ack-tracker';
import { DEFAULT_CHUNK_POLICY } from './chunk-assembler';
import { ChunkedMessages } from './chunked-messages';
import { parseEntry } from './entry-parser';
import { Message } from './message';
import { requestLastMessageId } from './last-message-id';
import { PartitionSubscription } from './options';
import { isPosition, messagesAfterSeekTarget } from './seek-target';
import { Transaction } from '../transaction/transaction';
import { sendTransactionalAck } from '../transaction/txn-ack';

/** Where a partition consumer hands its messages: the Consumer's shared queue. */
export interface MessageSink {
  deliver(messages: Message[], source: PartitionConsumer): void;
  /** Drops this partition's queued messages; returns how many were dropped. */
  dropQueued(source: PartitionConsumer): number;
}

const CHECKSUM_MISMATCH = 2;
const ACK_GROUPING_MS = 100;
const ACK_GROUPING_MAX = 1000;
const FATAL_ERRORS = new Set([
  'TopicNotFound',
  'TopicTerminatedError',
  'SubscriptionNotFound',
  'AuthorizationError',
  'ConsumerBusy',
  'InvalidTopicName',
  'IncompatibleSchema',
  'ConsumerAssignError',
  'NotAllowedError',
]);

/** The consumer of one topic or partition: subscription, flow permits, acks, seek, reconnect. */
export class PartitionConsumer implements ConsumerHandler {
  readonly consumerId: number;
  private connection?: Connection;
  private state: 'connecting' | 'ready' | 'closed' = 'connecting';
  private permitsToReturn = 0;
  private readonly acks: AckTracker;
  private readonly chunked: ChunkedMessages;
  private ackTimer?: NodeJS.Timeout;
  private lastDelivered?: MessageId;
  private reconnecting?: Promise<void>;
  /** Durable subscriptions after seek(id): the id whose message (and earlier batch siblings) is skipped. */
  private skipThrough?: MessageId;
  /** Successful subscribes so far: tells seek() whether the broker's close-and-resubscribe already happened. */
  private attachments = 0;

  /** True once the partition has re-attached: the broker may then resend messages handed out before. */
  get hasReattached(): boolean {
    return this.attachments > 1;
  }

  constructor(
    private readonly client: ClientContext,
    readonly sub: PartitionSubscription,
    private readonly sink: MessageSink,
    batchIndexAck: boolean,
  ) {
    this.consumerId = client.newConsumerId();
    this.acks = new AckTracker(batchIndexAck);
    this.chunked = new ChunkedMessages(sub.chunkPolicy ?? DEFAULT_CHUNK_POLICY, {
      topic: sub.topic,
      ackChunks: (ids) => {
        for (const id of ids) this.acks.addIndividual(id);
        this.scheduleAckFlush();
      },
      discarded: (reason, error) =>
        this.client.instrumentation.emit('messageDiscarded', () => ({
          topic: this.sub.topic,
          subscription: this.sub.subscription,
          reason,
          error,
        })),
    });
  }

  get topic(): string {
    return this.sub.topic;
  }

  get isConnected(): boolean {
    return this.state === 'ready';
  }

  async start(): Promise<void> {
    await attachWithRetry(() => this.subscribe(), {
      ...this.client.backoff,
      timeoutMs: this.client.operationTimeoutMs,
      stillWanted: () => this.state === 'connecting',
    });
  }

  /** The application took one message: return permits in chunks of half the queue. */
  messageConsumed(message: Message): void {
    this.lastDelivered = message.getMessageId();
    this.returnPermits(1);
  }

  /** A chunked message's ack acks every chunk of it. */
  acknowledge(id: MessageId): void {
    for (const entry of this.chunked.entriesOf(id)) this.acks.addIndividual(entry);
    this.chunked.acked(id);
    this.scheduleAckFlush();
  }

  /**
   * Sent at once with a receipt, never held for the ack timer: the transaction's commit waits for it. The
   * ids (every chunk of a chunked message) go in one command.
   */
  async acknowledgeInTransaction(ids: readonly MessageId[], txn: Transaction): Promise<void> {
    const entries = ids.flatMap((id) => this.chunked.entriesOf(id));
    await sendTransactionalAck(() => this.requireConnection(), this.consumerId, this.sub, entries, txn);
    for (const id of ids) this.chunked.acked(id);
    for (const entry of entries) this.acks.ackedInTransaction(entry);
  }

  acknowledgeCumulative(id: MessageId): void {
    this.acks.addCumulative(id);
    this.scheduleAckFlush();
  }

  flushAcks(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.acks.size === 0 || !this.connection || this.state !== 'ready') return;
    const { individual, cumulative } = this.acks.drain();
    if (individual.length > 0)
      this.connection.write({
        type: CommandType.ACK,
        ack: { consumer_id: this.consumerId, ack_type: ACK_INDIVIDUAL, message_id: individual },
      });
    if (cumulative)
      this.connection.write({
        type: CommandType.ACK,
        ack: { consumer_id: this.consumerId, ack_type: ACK_CUMULATIVE, message_id: [cumulative] },
      });
  }

  /** Asks the broker to redeliver these entries (Shared/Key_Shared), or everything unacked when `ids` is undefined. */
  redeliver(ids?: MessageId[]): void {
    if (!this.connection || this.state !== 'ready') return;
    // Acks still in the grouping buffer first, or the broker redelivers what was acked (ack_set included).
    this.flushAcks();
    if (ids === undefined) {
      // Rewind: what is queued locally will come again, so its permits return now.
      this.returnPermits(this.sink.dropQueued(this), true);
      this.acks.reset();
      this.chunked.reset();
      this.connection.write({
        type: CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES,
        redeliver: { consumer_id: this.consumerId },
      });
      return;
    }
    const unique = new Map(
      ids
        .flatMap((id) => this.chunked.entriesOf(id))
        .map((id) => [
          id.entryKey(),
          toMessageIdData(new MessageId(id.ledgerId, id.entryId, id.partition), false),
        ]),
    );
    this.connection.write({
      type: CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES,
      redeliver: { consumer_id: this.consumerId, message_ids: [...unique.values()] },
    });
  }

  /**
   * Seeks the subscription. The broker moves its cursor *to* the id and closes this consumer (before its
   * reply); we resolve once resubscribed, so the next call finds the consumer attached. The message at the
   * id itself is skipped (the official client starts after it), unless a reader asked for it inclusively.
   */
  async seek(target: MessageId | number): Promise<void> {
    const connection = this.requireConnection();
    this.flushAcks();
    const requestId = connection.newRequestId();
    const seek =
      typeof target === 'number'
        ? { consumer_id: this.consumerId, request_id: requestId, message_publish_time: target }
        : { consumer_id: this.consumerId, request_id: requestId, message_id: toMessageIdData(target) };
    if (!this.sub.durable) {
      this.sub.startMessageId = typeof target === 'number' ? undefined : target;
      this.lastDelivered = undefined;
    } else {
      this.skipThrough = typeof target === 'number' || !isPosition(target) ? undefined : target;
    }
    this.acks.reset();
    this.chunked.reset();
    const attachedBefore = this.attachments;
    await connection.request({ type: CommandType.SEEK, seek }, requestId);
    if (this.state === 'connecting') await this.reconnecting;
    // Not closed by the broker: what was queued came from before the seek. (A resubscribe dropped it already.)
    else if (this.attachments === attachedBefore) this.returnPermits(this.sink.dropQueued(this), true);
  }

  /**
   * Asked again (within one more operation timeout) after a timeout or while reconnecting: with transactions
   * on, the broker answers only once the topic's transaction buffer has recovered, and when that recovery
   * fails it closes the topic, so the request goes unanswered and the consumer reconnects to a reloaded topic.
   */
  getLastMessageId(): Promise<{ last: MessageId; markDelete?: MessageId }> {
    const closed = () => this.state === 'closed';
    return retry(() => requestLastMessageId(this.requireConnection(), this.consumerId, this.sub.partition), {
      retries: Infinity,
      timeoutMs: 2 * this.client.operationTimeoutMs,
      initialMs: 200,
      maxMs: 2_000,
      signal: {
        get aborted() {
          return closed();
        },
      },
    });
  }

  async close(unsubscribe = false): Promise<void> {
    if (this.state === 'closed') return;
    this.flushAcks();
    this.chunked.close();
    const connection = this.connection;
    this.state = 'closed';
    this.connection = undefined;
    if (!connection?.isOpen) return;
    const requestId = connection.newRequestId();
    const request: BaseCommand = unsubscribe
      ? {
          type: CommandType.UNSUBSCRIBE,
          unsubscribe: { consumer_id: this.consumerId, request_id: requestId },
        }
      : {
          type: CommandType.CLOSE_CONSUMER,
          close_consumer: { consumer_id: this.consumerId, request_id: requestId },
        };
    try {
      await connection.request(request, requestId);
    } finally {
      connection.unregisterConsumer(this.consumerId);
    }
  }

  onMessage(command: NonNullable<BaseCommand['message']>, section: Buffer): void {
    if (this.state !== 'ready') return;
    let parsed;
    try {
      // Only non-durable cursors (readers) filter by position; durable ones get redeliveries on purpose.
      const filter = this.sub.durable
        ? {}
        : {
            startMessageId: this.lastDelivered ?? this.sub.startMessageId,
            startInclusive: this.lastDelivered ? false : this.sub.startMessageIdInclusive,
          };
      parsed = parseEntry(command, section, this.sub.topic, this.sub.partition, filter);
    } catch (error) {
      this.discardCorrupt(command, error as PulsarClientError);
      return;
    }
    const whole = parsed.chunk ? this.chunked.receive(parsed.chunk) : undefined;
    const received = whole ? [whole] : parsed.messages;
    const messages = this.afterSeekTarget(this.stillPending(received, command.ack_set ?? []));
    const filtered = parsed.entrySize - messages.length;
    if (filtered > 0) this.returnPermits(filtered);
    if (messages.length > 0) this.sink.deliver(messages, this);
  }

  /** After seek(id): the message at the id is skipped and acked (see seek-target.ts). */
  private afterSeekTarget(messages: Message[]): Message[] {
    if (!this.skipThrough) return messages;
    const kept = messagesAfterSeekTarget(messages, this.skipThrough);
    for (const message of messages)
      if (!kept.includes(message)) this.acks.addIndividual(message.getMessageId());
    if (kept.length < messages.length) this.scheduleAckFlush();
    return kept;
  }

  /** Drops messages of a batch entry this consumer has acked already (see AckTracker.received). */
  private stillPending(messages: Message[], ackSet: readonly unknown[]): Message[] {
    const first = messages[0]?.getMessageId();
    if (!this.sub.durable || !first || first.batchIndex < 0) return messages;
    const pending = this.acks.received(first, ackSet);
    if (!pending) return messages;
    if (this.acks.size > 0) this.scheduleAckFlush();
    return messages.filter((message) => pending[message.getMessageId().batchIndex] === 1);
  }

  onDisconnected(error: Error, assignedUrl?: string): void {
    if (this.state !== 'ready') return;
    this.state = 'connecting';
    this.connection = undefined;
    this.sink.dropQueued(this);
    this.reconnecting = this.reconnect(error, assignedUrl);
  }

  private reconnect(cause: Error, assignedUrl?: string): Promise<void> {
    return reconnectWithBackoff(
      this.client,
      {
        kind: 'consumer',
        topic: this.sub.topic,
        stillWanted: () => this.state === 'connecting',
        attempt: (url) => this.subscribe(url),
        fatalErrors: FATAL_ERRORS,
        onFatal: () => {
          this.state = 'closed';
        },
      },
      cause,
      assignedUrl,
    );
  }

  private async subscribe(assignedUrl?: string): Promise<void> {
    const connection = await this.client.lookup.connectionFor(this.sub.topic, assignedUrl);
    const requestId = connection.newRequestId();
    // Non-durable cursors restart after the last message the application saw.
    const start = this.sub.durable ? undefined : (this.lastDelivered ?? this.sub.startMessageId);
    connection.registerConsumer(this.consumerId, this);
    try {
      await connection.request(
        {
          type: CommandType.SUBSCRIBE,
          subscribe: {
            topic: this.sub.topic,
            subscription: this.sub.subscription,
            subType: this.sub.subType,
            consumer_id: this.consumerId,
            request_id: requestId,
            consumer_name: this.sub.consumerName,
            priority_level: this.sub.priorityLevel,
            durable: this.sub.durable,
            start_message_id: start ? toMessageIdData(start) : undefined,
            metadata: Object.entries(this.sub.properties ?? {}).map(([key, value]) => ({ key, value })),
            read_compacted: this.sub.readCompacted,
            initialPosition: this.sub.initialPosition,
            keySharedMeta: this.sub.keySharedMeta,
          },
        },
        requestId,
      );
    } catch (error) {
      connection.unregisterConsumer(this.consumerId);
      if (error instanceof TimeoutError) {
        connection.write({
          type: CommandType.CLOSE_CONSUMER,
          close_consumer: { consumer_id: this.consumerId, request_id: connection.newRequestId() },
        });
      }
      throw error;
    }
    if (this.state === 'closed') {
      connection.unregisterConsumer(this.consumerId);
      connection.write({
        type: CommandType.CLOSE_CONSUMER,
        close_consumer: { consumer_id: this.consumerId, request_id: connection.newRequestId() },
      });
      return;
    }
    this.connection = connection;
    this.state = 'ready';
    this.attachments++;
    this.permitsToReturn = 0;
    // The broker sends every unacked chunk again, from each message's first.
    this.chunked.reset();
    // Acks made while reconnecting go before the permits: otherwise the broker redelivers those messages
    // (unacked when it read FLOW) and the application would see acked messages again.
    this.flushAcks();
    connection.write({
      type: CommandType.FLOW,
      flow: { consumer_id: this.consumerId, messagePermits: this.sub.receiverQueueSize },
    });
  }

  private returnPermits(count: number, now = false): void {
    this.permitsToReturn += count;
    if (!this.connection || this.state !== 'ready') return;
    if (
      this.permitsToReturn > 0 &&
      (now || this.permitsToReturn >= Math.max(1, this.sub.receiverQueueSize >> 1))
    ) {
      this.connection.write({
        type: CommandType.FLOW,
        flow: { consumer_id: this.consumerId, messagePermits: this.permitsToReturn },
      });
      this.permitsToReturn = 0;
    }
  }

  /** A corrupt entry is acked with a validation error (as the official clients do) and its permits returned. */
  private discardCorrupt(command: NonNullable<BaseCommand['message']>, error: PulsarClientError): void {
    const id = command.message_id;
    this.connection?.write({
      type: CommandType.ACK,
      ack: {
        consumer_id: this.consumerId,
        ack_type: ACK_INDIVIDUAL,
        message_id: [
          {
            ledgerId: toLong(BigInt(id.ledgerId.toString())),
            entryId: toLong(BigInt(id.entryId.toString())),
          },
        ],
        validation_error: error.code === 'CHECKSUM_MISMATCH' ? CHECKSUM_MISMATCH : undefined,
      },
    });
    this.returnPermits(1);
    this.client.instrumentation.emit('messageDiscarded', () => ({
      topic: this.sub.topic,
      subscription: this.sub.subscription,
      reason: error.code === 'CHECKSUM_MISMATCH' ? 'checksum' : 'corrupt',
      error,
    }));
  }

  private scheduleAckFlush(): void {
    if (this.acks.size >= ACK_GROUPING_MAX) this.flushAcks();
    else if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => this.flushAcks(), ACK_GROUPING_MS);
      this.ackTimer.unref();
    }
  }

  private requireConnection(): Connection {
    if (this.state === 'closed') throw new AlreadyClosedError(`consumer on ${this.sub.topic}`);
    if (!this.connection || this.state !== 'ready')
      throw new PulsarClientError('CONNECTION_CLOSED', `consumer on ${this.sub.topic} is reconnecting`, {
        retriable: true,
      });
    return this.connection;
  }
}
