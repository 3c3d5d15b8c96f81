import { BrokerError, Client, javaStringHash, MessageId, Producer, ProducerMessage } from '@gyre/pulsar';
import { ReplayError } from '../errors';
import type { ReplayedEvent, ReplaySink } from './replay-sink';

/**
 * Publishes one source partition's replayed events to a target stream. Each event goes to a target
 * partition chosen from its key (as a keyed producer would: JavaStringHash mod N) or, without a key,
 * from its source partition, so a resend after a crash lands where the first send did. One producer per
 * target partition, named after the job and the source partition, sends with explicit sequence ids
 * (the event's position in its source partition). After a resume, the events up to the last sequence id
 * the broker stored for that name are skipped here, not resent: the broker deduplicates a batch by its
 * first sequence id, so a resent batch straddling that point would be dropped whole, new events with it.
 */
export class StreamTarget implements ReplaySink {
  private readonly producers = new Map<number, Promise<TargetProducer>>();

  constructor(
    private readonly client: Client,
    private readonly topic: string,
    private readonly partitions: number,
    readonly producerName: string,
    private readonly sourcePartition: number,
  ) {}

  partitionFor(key: string | undefined): number {
    return key === undefined || key === ''
      ? this.sourcePartition % this.partitions
      : javaStringHash(key) % this.partitions;
  }

  /** Sends the event with its scan position as sequence id: a resend after a resume is deduplicated. */
  accept(event: ReplayedEvent): Promise<MessageId | 'stored'> {
    return this.send({
      data: event.data,
      partitionKey: event.key,
      eventTimestamp: event.eventTimestamp,
      sequenceId: event.sequence,
      properties: event.properties,
    });
  }

  /** A send acknowledged by the broker is durable: the partition's checkpoint waits for it, not reading. */
  readonly durableWhenAcknowledged = true;

  /** Nothing is buffered here. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves with the message id, or `stored` when the broker already holds this sequence id. */
  async send(message: ProducerMessage & { sequenceId: number }): Promise<MessageId | 'stored'> {
    const { producer, storedUpTo } = await this.producer(this.partitionFor(message.partitionKey));
    if (message.sequenceId <= storedUpTo) return 'stored';
    try {
      return await producer.send(message);
    } catch (error) {
      throw targetUnavailable('the target did not acknowledge an event', error);
    }
  }

  async close(): Promise<void> {
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.allSettled(producers.map(async (producer) => (await producer).producer.close()));
  }

  private producer(partition: number): Promise<TargetProducer> {
    let producer = this.producers.get(partition);
    if (!producer) {
      producer = this.client
        .createProducer({
          topic: `${this.topic}-partition-${partition}`,
          producerName: this.producerName,
          sendTimeoutMs: 30_000,
          batchingEnabled: true,
          batchingMaxPublishDelayMs: 5,
        })
        .then((created) => ({ producer: created, storedUpTo: created.getLastSequenceId() }))
        .catch((error: unknown) => {
          this.producers.delete(partition);
          // ProducerBusy: the previous owner's producer (same name) is still connected; it goes away with it.
          throw targetUnavailable(
            error instanceof BrokerError && error.serverError === 'ProducerBusy'
              ? 'the previous owner of this replay still holds its producer'
              : 'could not create a producer on the target',
            error,
          );
        });
      this.producers.set(partition, producer);
    }
    return producer;
  }
}

interface TargetProducer {
  producer: Producer;
  /** The broker's last stored sequence id for this producer name when it was created. */
  storedUpTo: number;
}

function targetUnavailable(message: string, cause: unknown): ReplayError {
  return new ReplayError('REPLAY_TARGET_UNAVAILABLE', message, { retriable: true, cause });
}
