import { randomBytes } from 'node:crypto';
import { AlreadyClosedError, InvalidArgumentError, TimeoutError } from '../errors';
import { MessageId } from '../codec/message-id';
import { ClientContext } from '../client-context';
import { fullTopicName, partitionIndexOf } from '../lookup/topic-name';
import { Message } from '../consumer/message';
import { MessageSink, PartitionConsumer } from '../consumer/partition-consumer';
import { LastMessageIds, hasMessageAfter, isLatest } from './reader-position';

export interface ReaderConfig {
  /** One topic or one partition (`...-partition-N`); partitioned parents are not supported by readers. */
  topic: string;
  startMessageId: MessageId;
  /** Deliver the start message itself (false by default). */
  startMessageIdInclusive?: boolean;
  receiverQueueSize?: number;
  readerName?: string;
  subscriptionRolePrefix?: string;
}

/** Reads a topic from a position with a non-durable cursor; nothing is acknowledged. */
export class Reader implements MessageSink {
  private queue: Message[] = [];
  private readonly waiters: Array<{
    resolve(message: Message): void;
    reject(error: Error): void;
    timer?: NodeJS.Timeout;
  }> = [];
  private lastRead?: MessageId;
  /** The broker's last message id (and this cursor's mark-delete position) when last asked. */
  private known?: LastMessageIds;
  private closed = false;
  private partition!: PartitionConsumer;

  private constructor(private readonly config: ReaderConfig) {}

  /** @internal Used by Client.createReader. */
  static async create(client: ClientContext, config: ReaderConfig): Promise<Reader> {
    const topic = fullTopicName(config.topic);
    const partitionIndex = partitionIndexOf(topic);
    if (partitionIndex < 0 && (await client.lookup.getPartitionedTopicMetadata(topic)) > 0) {
      throw new InvalidArgumentError(`${topic} is partitioned: create one reader per partition`);
    }
    const reader = new Reader({ ...config });
    reader.partition = new PartitionConsumer(
      client,
      {
        topic,
        partition: partitionIndex,
        subscription: `${config.subscriptionRolePrefix ?? 'reader'}-${randomBytes(5).toString('hex')}`,
        subType: 0,
        initialPosition: 0,
        consumerName: config.readerName,
        receiverQueueSize: config.receiverQueueSize ?? 1000,
        durable: false,
        startMessageId: config.startMessageId,
        startMessageIdInclusive: config.startMessageIdInclusive ?? false,
      },
      reader,
      false,
    );
    await reader.partition.start();
    try {
      reader.known = await reader.partition.getLastMessageId();
      // As the official engine: "latest, inclusive" starts at the last message already stored.
      if (
        isLatest(config.startMessageId) &&
        config.startMessageIdInclusive &&
        reader.known.last.entryId >= 0n
      )
        await reader.seek(reader.known.last);
    } catch (error) {
      await reader.close().catch(() => undefined);
      throw error;
    }
    return reader;
  }

  readNext(timeoutMs?: number): Promise<Message> {
    if (this.closed) return Promise.reject(new AlreadyClosedError('reader'));
    const next = this.queue.shift();
    if (next) return Promise.resolve(this.handOut(next));
    return new Promise((resolve, reject) => {
      const waiter: { resolve(message: Message): void; reject(error: Error): void; timer?: NodeJS.Timeout } =
        { resolve, reject };
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new TimeoutError('TIMEOUT', `no message within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  /**
   * Whether readNext() would find a message now or later without new publishes: asks the broker for its
   * last message id (GET_LAST_MESSAGE_ID) unless what the reader knows already says yes.
   */
  async hasMessageAvailable(): Promise<boolean> {
    if (this.hasNext()) return true;
    this.known = await this.partition.getLastMessageId();
    return this.isBefore(this.known);
  }

  /**
   * The official client's synchronous check, answered from what this reader knows without a round trip:
   * its queue, and the broker's last message id as of creation or the last hasMessageAvailable().
   */
  hasNext(): boolean {
    return this.queue.length > 0 || (this.known !== undefined && this.isBefore(this.known));
  }

  /** Moves the reader to `id`; the next message is the one after it (or `id` itself, read inclusively). */
  async seek(id: MessageId): Promise<null> {
    this.lastRead = undefined;
    this.config.startMessageId = id;
    this.queue = [];
    await this.partition.seek(id);
    return null;
  }

  async seekTimestamp(timestamp: number): Promise<null> {
    this.lastRead = undefined;
    this.queue = [];
    await this.partition.seek(timestamp);
    return null;
  }

  isConnected(): boolean {
    return this.partition.isConnected;
  }

  /** Resolves with `null`, as the official client's close and seeks. */
  async close(): Promise<null> {
    if (this.closed) return null;
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new AlreadyClosedError('reader'));
    }
    await this.partition.close();
    return null;
  }

  /** @internal */
  deliver(messages: Message[]): void {
    for (const message of messages) {
      const waiter = this.waiters.shift();
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.resolve(this.handOut(message));
      } else this.queue.push(message);
    }
  }

  /** @internal */
  dropQueued(): number {
    const dropped = this.queue.length;
    this.queue = [];
    return dropped;
  }

  private handOut(message: Message): Message {
    this.partition.messageConsumed(message);
    this.lastRead = message.getMessageId();
    return message;
  }

  private isBefore(known: LastMessageIds): boolean {
    return hasMessageAfter(
      {
        lastRead: this.lastRead,
        start: this.config.startMessageId,
        startInclusive: this.config.startMessageIdInclusive ?? false,
      },
      known,
    );
  }
}
