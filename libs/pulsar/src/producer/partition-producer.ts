import {
  AlreadyClosedError,
  BrokerError,
  MessageTooLargeError,
  PulsarClientError,
  TimeoutError,
} from '../errors';
import { COMPRESSION_CODES } from '../codec/compression';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../codec/frame';
import { MessageId } from '../codec/message-id';
import { BaseCommand, CommandType, ServerError, has, toBigInt, toNumber } from '../codec/protocol';
import { Connection, ProducerHandler } from '../connection/connection';
import { reconnectWithBackoff } from '../reconnect';
import { attachWithRetry } from '../retry';
import { ClientContext } from '../client-context';
import { BatchContainer, Batcher } from './batch-container';
import { KeyBasedBatchContainer } from './key-based-batch-container';
import { encodeChunked } from './chunk-encoder';
import { EncodedEntry, EntryContext, QueuedMessage, encodeBatchEntry, encodeSingle } from './entry-encoder';
import { TxnId } from '../transaction/txn-wire';
import { ProducerMessage, ResolvedProducerConfig } from './options';

interface PendingEntry {
  firstSequenceId: number;
  /** Empty for the chunks of a chunked message but its last, which holds the message. */
  messages: QueuedMessage[];
  frame: Buffer;
  batched: boolean;
  createdAt: number;
  /** A chunk of a chunked message: the receipt of chunk 0 gives the first chunk id of the message id. */
  chunk?: { id: number; message: ChunkedSend };
}

interface ChunkedSend {
  firstChunkId?: MessageId;
}

const ACCESS_MODES = { Shared: 0, Exclusive: 1, ExclusiveWithFencing: 3 } as const;
const FATAL_ERRORS = new Set([
  'TopicNotFound',
  'TopicTerminatedError',
  'ProducerFenced',
  'NotAllowedError',
  'AuthorizationError',
  'ProducerBusy',
]);

/**
 * The producer of one topic or partition: owns its connection, sequence ids, batch and the queue of
 * entries awaiting receipts, which it resends in order after reconnecting.
 */
export class PartitionProducer implements ProducerHandler {
  readonly producerId: number;
  producerName = '';
  private connection?: Connection;
  private epoch = 0;
  private nextSequenceId = 0;
  private sequenceInitialised = false;
  private userProvidedName: boolean;
  private topicEpoch?: ReturnType<typeof toBigInt>;
  private schemaVersion?: Uint8Array;
  private readonly pending: PendingEntry[] = [];
  /** Messages in `pending` (kept as a count: send() checks it against maxPendingMessages every time). */
  private pendingMessages = 0;
  private readonly batch: Batcher;
  /** Key-based batches seal out of send order: sequence ids are then given at sealing (see enqueue). */
  private readonly keyBased: boolean;
  private timeoutTimer?: NodeJS.Timeout;
  private state: 'connecting' | 'ready' | 'closing' | 'closed' = 'connecting';
  private failure?: Error;
  private closeRequested = false;

  constructor(
    private readonly client: ClientContext,
    readonly topic: string,
    readonly partition: number,
    private readonly config: ResolvedProducerConfig,
  ) {
    this.producerId = client.newProducerId();
    this.userProvidedName = config.producerName !== undefined;
    this.producerName = config.producerName ?? '';
    this.keyBased = config.batchingType === 'KeyBasedBatching';
    const seal = (messages: QueuedMessage[]): void => this.enqueue(messages, true);
    this.batch = this.keyBased ? new KeyBasedBatchContainer(config, seal) : new BatchContainer(config, seal);
  }

  get isConnected(): boolean {
    return this.state === 'ready';
  }

  /** The highest sequence id sent, or after creation the broker's last one stored for this name (-1: none). */
  get lastSequenceId(): number {
    return this.nextSequenceId - 1;
  }

  get pendingCount(): number {
    return this.batch.length + this.pendingMessages;
  }

  async start(): Promise<void> {
    await attachWithRetry(() => this.connect(), {
      ...this.client.backoff,
      timeoutMs: this.client.operationTimeoutMs,
      stillWanted: () => this.state === 'connecting',
    });
    const { sendTimeoutMs } = this.config;
    if (sendTimeoutMs > 0) {
      this.timeoutTimer = setInterval(
        () => this.failTimedOut(),
        Math.max(5, Math.min(1000, sendTimeoutMs / 4)),
      );
      this.timeoutTimer.unref();
    }
  }

  /** With `txn`, the message goes alone in its own entry (see Producer.send). */
  send(message: ProducerMessage, txn?: TxnId): Promise<MessageId> {
    if (this.state === 'closing' || this.state === 'closed')
      return Promise.reject(this.failure ?? new AlreadyClosedError(`producer on ${this.topic}`));
    if (!Buffer.isBuffer(message.data))
      return Promise.reject(new PulsarClientError('INVALID_ARGUMENT', 'message data must be a Buffer'));
    if (this.pendingCount >= this.config.maxPendingMessages) {
      return Promise.reject(
        new PulsarClientError(
          'PRODUCER_QUEUE_FULL',
          `producer on ${this.topic} has ${this.config.maxPendingMessages} messages pending`,
          { retriable: true },
        ),
      );
    }
    const maxSize = this.connection?.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    if (
      message.data.length > maxSize &&
      this.config.compressionType === 'None' &&
      !this.config.chunkingEnabled
    )
      return Promise.reject(new MessageTooLargeError(message.data.length, maxSize));
    return new Promise<MessageId>((resolve, reject) => {
      const deferred = this.keyBased && message.sequenceId === undefined;
      const sequenceId = deferred ? -1 : (message.sequenceId ?? this.nextSequenceId);
      if (!deferred) this.nextSequenceId = Math.max(this.nextSequenceId, sequenceId + 1);
      const queued: QueuedMessage = { message, sequenceId, txn, resolve, reject };
      if (!txn && this.canBatch(message)) this.batch.add(queued);
      else {
        this.batch.flush();
        this.enqueue([queued], false);
      }
    });
  }

  /** Sends the open batch now and resolves when everything sent so far has a receipt or failed. */
  async flush(): Promise<void> {
    this.batch.flush();
    // Entries settle in order (receipts come in order; timeouts and failures take them from the head), so
    // the last message pending settles last: waiting for it is waiting for all.
    const last = this.pending[this.pending.length - 1]?.messages.at(-1);
    if (last) await new Promise<void>((done) => wrapSettle(last, done));
  }

  /** Drains: flushes, waits for every pending receipt (or its send timeout), then closes on the broker. */
  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing' || this.closeRequested) return;
    this.closeRequested = true;
    // Disconnected, nothing can drain: fail what is pending now rather than wait for a broker.
    if (this.state === 'connecting') this.failWhileDisconnected();
    else await this.flush();
    this.state = 'closing';
    clearInterval(this.timeoutTimer);
    const connection = this.connection;
    this.connection = undefined;
    if (connection?.isOpen) {
      connection.unregisterProducer(this.producerId);
      const requestId = connection.newRequestId();
      await connection
        .request(
          {
            type: CommandType.CLOSE_PRODUCER,
            close_producer: { producer_id: this.producerId, request_id: requestId },
          },
          requestId,
        )
        .catch(() => undefined);
    }
    this.failAll(new AlreadyClosedError(`producer on ${this.topic}`));
    this.state = 'closed';
  }

  onSendReceipt(receipt: NonNullable<BaseCommand['send_receipt']>): void {
    const sequenceId = toNumber(receipt.sequence_id);
    const head = this.pending[0];
    if (!head || sequenceId < head.firstSequenceId) return; // stale: already timed out or a duplicate
    if (sequenceId > head.firstSequenceId) {
      // Receipts come in order; a gap means our view diverged. A fresh connection resends everything.
      this.connection?.close(
        new PulsarClientError(
          'PROTOCOL_ERROR',
          `receipt for sequence ${sequenceId} while ${head.firstSequenceId} is pending`,
          { retriable: true },
        ),
      );
      return;
    }
    this.pending.shift();
    this.pendingMessages -= head.messages.length;
    const ledger = receipt.message_id ? toBigInt(receipt.message_id.ledgerId) : -1n;
    const entry = receipt.message_id ? toBigInt(receipt.message_id.entryId) : -1n;
    if (head.chunk) {
      const chunked = head.chunk.message;
      if (head.chunk.id === 0) chunked.firstChunkId = new MessageId(ledger, entry, this.partition);
      // The application sees the last chunk's id, carrying the first one's (as the Java client).
      const id = new MessageId(ledger, entry, this.partition, -1, 0, chunked.firstChunkId);
      head.messages.forEach((queued) => queued.resolve(id));
      return;
    }
    const size = head.messages.length;
    head.messages.forEach((queued, index) =>
      queued.resolve(
        new MessageId(ledger, entry, this.partition, head.batched ? index : -1, head.batched ? size : 0),
      ),
    );
  }

  onSendError(error: NonNullable<BaseCommand['send_error']>): void {
    const failure = new BrokerError(ServerError[error.error] ?? String(error.error), error.message);
    this.client.instrumentation.emit('sendError', () => ({
      topic: this.topic,
      producerName: this.producerName,
      sequenceId: toNumber(error.sequence_id),
      error: failure,
    }));
    if (error.error === ServerError.TopicTerminatedError || error.error === ServerError.NotAllowedError) {
      const head = this.pending[0];
      if (head && head.firstSequenceId === toNumber(error.sequence_id)) {
        this.pending.shift();
        this.pendingMessages -= head.messages.length;
        head.messages.forEach((queued) => queued.reject(failure));
      }
      return;
    }
    // Anything else (checksum, persistence...): reconnect this producer and resend what is pending.
    this.connection?.unregisterProducer(this.producerId);
    this.onDisconnected(failure);
  }

  onDisconnected(error: Error, assignedUrl?: string): void {
    if (this.state !== 'ready') return;
    this.connection = undefined;
    if (this.closeRequested) return this.failWhileDisconnected();
    this.state = 'connecting';
    void this.reconnect(error, assignedUrl);
  }

  private failWhileDisconnected(): void {
    this.state = 'closing';
    const count = this.pendingCount;
    this.failAll(
      new AlreadyClosedError(
        `producer on ${this.topic} (closed while disconnected from the broker; ${count} sends unconfirmed)`,
      ),
    );
  }

  private reconnect(cause: Error, assignedUrl?: string): Promise<void> {
    return reconnectWithBackoff(
      this.client,
      {
        kind: 'producer',
        topic: this.topic,
        stillWanted: () => this.state === 'connecting',
        attempt: (url) => this.connect(url),
        fatalErrors: FATAL_ERRORS,
        onFatal: (error) => {
          this.state = 'closed';
          this.failure = error;
          this.failAll(error);
        },
      },
      cause,
      assignedUrl,
    );
  }

  private async connect(assignedUrl?: string): Promise<void> {
    const connection = await this.client.lookup.connectionFor(this.topic, assignedUrl);
    const requestId = connection.newRequestId();
    let reply: BaseCommand;
    try {
      reply = await connection.request(
        {
          type: CommandType.PRODUCER,
          producer: {
            topic: this.topic,
            producer_id: this.producerId,
            request_id: requestId,
            producer_name: this.producerName || undefined,
            user_provided_producer_name: this.userProvidedName,
            epoch: this.epoch++,
            producer_access_mode: ACCESS_MODES[this.config.accessMode],
            topic_epoch: this.topicEpoch === undefined ? undefined : Number(this.topicEpoch),
            metadata: Object.entries(this.config.properties ?? {}).map(([key, value]) => ({ key, value })),
            initial_subscription_name: this.config.initialSubscriptionName,
          },
        },
        requestId,
      );
    } catch (error) {
      if (error instanceof TimeoutError) {
        // The broker may still create it; close that half-made producer before trying again.
        connection.write({
          type: CommandType.CLOSE_PRODUCER,
          close_producer: { producer_id: this.producerId, request_id: connection.newRequestId() },
        });
      }
      throw error;
    }
    const success = reply.producer_success!;
    this.producerName = success.producer_name;
    if (has(success, 'topic_epoch')) this.topicEpoch = toBigInt(success.topic_epoch);
    if (success.schema_version?.length) this.schemaVersion = success.schema_version;
    if (!this.sequenceInitialised) {
      const last = has(success, 'last_sequence_id') ? Number(toBigInt(success.last_sequence_id)) : -1;
      this.nextSequenceId = Math.max(this.config.initialSequenceId ?? -1, last) + 1;
      this.sequenceInitialised = true;
    }
    if (this.state !== 'connecting') {
      connection.write({
        type: CommandType.CLOSE_PRODUCER,
        close_producer: { producer_id: this.producerId, request_id: connection.newRequestId() },
      });
      return;
    }
    this.connection = connection;
    connection.registerProducer(this.producerId, this);
    this.state = 'ready';
    for (const entry of this.pending) connection.write(entry.frame);
  }

  private context(): EntryContext {
    return {
      producerId: this.producerId,
      producerName: this.producerName,
      compression: COMPRESSION_CODES[this.config.compressionType],
      schemaVersion: this.schemaVersion,
    };
  }

  private canBatch(message: ProducerMessage): boolean {
    return (
      this.config.batchingEnabled &&
      message.deliverAt === undefined &&
      !(message.deliverAfter && message.deliverAfter > 0) &&
      message.data.length < this.config.batchingMaxAllowedSizeInBytes
    );
  }

  private enqueue(messages: QueuedMessage[], batched: boolean): void {
    // Ids ascend entry by entry, so receipts match in order and broker dedup keeps every entry.
    if (this.keyBased)
      for (const queued of messages) if (queued.sequenceId < 0) queued.sequenceId = this.nextSequenceId++;
    const maxSize = this.connection?.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    let encoded: EncodedEntry[];
    try {
      if (batched) encoded = [encodeBatchEntry(this.context(), messages)];
      else if (this.config.chunkingEnabled) encoded = encodeChunked(this.context(), messages[0], maxSize);
      else encoded = [encodeSingle(this.context(), messages[0])];
    } catch (error) {
      messages.forEach((queued) => queued.reject(error as Error));
      return;
    }
    if (encoded.length === 1 && encoded[0].size > maxSize) {
      messages.forEach((queued) => queued.reject(new MessageTooLargeError(encoded[0].size, maxSize)));
      return;
    }
    const createdAt = Date.now();
    const chunked: ChunkedSend | undefined = encoded.length > 1 ? {} : undefined;
    encoded.forEach((entry, index) => {
      const last = index === encoded.length - 1;
      this.pending.push({
        firstSequenceId: messages[0].sequenceId,
        messages: last ? messages : [],
        frame: entry.frame,
        batched,
        createdAt,
        chunk: chunked ? { id: index, message: chunked } : undefined,
      });
      if (last) this.pendingMessages += messages.length;
      if (this.state === 'ready') this.connection?.write(entry.frame);
    });
  }

  private failTimedOut(): void {
    const deadline = Date.now() - this.config.sendTimeoutMs;
    while (this.pending.length > 0 && this.pending[0].createdAt <= deadline) {
      const entry = this.pending.shift() as PendingEntry;
      this.pendingMessages -= entry.messages.length;
      const error = new TimeoutError(
        'SEND_TIMEOUT',
        `no receipt for sequence ${entry.firstSequenceId} on ${this.topic} within ${this.config.sendTimeoutMs} ms`,
      );
      this.client.instrumentation.emit('sendError', () => ({
        topic: this.topic,
        producerName: this.producerName,
        sequenceId: entry.firstSequenceId,
        error,
      }));
      entry.messages.forEach((queued) => queued.reject(error));
    }
  }

  private failAll(error: Error): void {
    const messages = [...this.pending.flatMap((entry) => entry.messages), ...this.batch.takeAll()];
    this.pending.length = 0;
    this.pendingMessages = 0;
    messages.forEach((queued) => queued.reject(error));
  }
}

/** Runs `done` when `queued` settles either way, without altering its outcome. */
function wrapSettle(queued: QueuedMessage, done: () => void): void {
  const { resolve, reject } = queued;
  queued.resolve = (id) => {
    resolve(id);
    done();
  };
  queued.reject = (error) => {
    reject(error);
    done();
  };
}
