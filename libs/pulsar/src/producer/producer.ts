import { validateConfig } from '../config-rules';
import { AlreadyClosedError } from '../errors';
import { MessageId } from '../codec/message-id';
import { ClientContext } from '../client-context';
import { fullTopicName, partitionTopicName } from '../lookup/topic-name';
import { Transaction } from '../transaction/transaction';
import { hashKey } from './hashing';
import { routeMessage } from './message-router';
import { ProducerConfig, ProducerMessage, ResolvedProducerConfig, resolveProducerConfig } from './options';
import { PartitionProducer } from './partition-producer';

/**
 * A producer of a topic, partitioned or not. With a messageRouter, it picks every partition; otherwise keyed
 * messages go to hash(key) mod N (JavaStringHash by default, like the Java client) and others round-robin,
 * switching partition per batch window when batching, or stay on one (UseSinglePartition).
 */
export class Producer {
  private closed = false;
  private roundRobin = 0;
  private readonly startPartition: number;

  private constructor(
    private readonly topic: string,
    private readonly partitions: PartitionProducer[],
    private readonly config: ResolvedProducerConfig,
  ) {
    this.startPartition = Math.floor(Math.random() * partitions.length);
  }

  /** @internal Used by Client.createProducer. */
  static async create(client: ClientContext, config: ProducerConfig): Promise<Producer> {
    const resolved = resolveProducerConfig(config);
    const topic = fullTopicName(config.topic);
    const count = await client.lookup.getPartitionedTopicMetadata(topic);
    const partitions =
      count === 0
        ? [new PartitionProducer(client, topic, -1, resolved)]
        : Array.from(
            { length: count },
            (_, index) => new PartitionProducer(client, partitionTopicName(topic, index), index, resolved),
          );
    const started = await Promise.allSettled(partitions.map((partition) => partition.start()));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      await Promise.allSettled(partitions.map((partition) => partition.close()));
      throw failed.reason;
    }
    return new Producer(topic, partitions, resolved);
  }

  /**
   * With `txn` (as the Java client's newMessage(txn)), the message becomes visible to consumers only when
   * the transaction commits, and never if it aborts. Transactional messages are not batched.
   */
  send(message: ProducerMessage, txn?: Transaction): Promise<MessageId> {
    if (this.closed) return Promise.reject(new AlreadyClosedError(`producer on ${this.topic}`));
    let partition: PartitionProducer;
    try {
      validateConfig('message', message);
      partition = this.partitions[this.choosePartition(message)];
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (!txn) return partition.send(message);
    return txn.track(txn.registerPartition(partition.topic).then(() => partition.send(message, txn.id)));
  }

  /** Resolves with `null` (as the official client) once everything sent so far is receipted or failed. */
  async flush(): Promise<null> {
    await Promise.all(this.partitions.map((partition) => partition.flush()));
    return null;
  }

  /** Waits for every pending send to be receipted or to fail, then closes on the broker. */
  async close(): Promise<null> {
    if (this.closed) return null;
    this.closed = true;
    await Promise.all(this.partitions.map((partition) => partition.close()));
    return null;
  }

  getTopic(): string {
    return this.topic;
  }

  getProducerName(): string {
    return this.partitions[0].producerName;
  }

  /**
   * The highest sequence id this producer sent; right after creation, the last one the broker stored for
   * this producer name (deduplication on), or -1. Over partitions, the highest of them.
   */
  getLastSequenceId(): number {
    return Math.max(...this.partitions.map((partition) => partition.lastSequenceId));
  }

  isConnected(): boolean {
    return this.partitions.every((partition) => partition.isConnected);
  }

  getNumPartitions(): number {
    return this.partitions.length === 1 && this.partitions[0].partition === -1 ? 0 : this.partitions.length;
  }

  private choosePartition(message: ProducerMessage): number {
    const count = this.partitions.length;
    // A router decides for every message of a partitioned topic, keyed or not (CustomPartition).
    if (this.config.messageRouter && this.getNumPartitions() > 0)
      return routeMessage(this.config.messageRouter, message, count);
    if (count === 1) return 0;
    if (message.partitionKey !== undefined)
      return hashKey(this.config.hashingScheme, message.partitionKey) % count;
    if (this.config.messageRoutingMode === 'UseSinglePartition') return this.startPartition;
    if (this.config.batchingEnabled) {
      const window = Math.max(1, this.config.batchingMaxPublishDelayMs);
      return (Math.floor(Date.now() / window) + this.startPartition) % count;
    }
    return (this.startPartition + this.roundRobin++) % count;
  }
}
