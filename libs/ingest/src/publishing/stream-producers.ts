import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { Client, MessageId, Producer, ProducerMessage, PulsarClientError } from '@gyre/pulsar';
import { StreamCatalog, StreamsError } from '@gyre/streams';

/**
 * One Pulsar client and one producer per stream topic for the whole process, with a bound on the events
 * in flight: beyond it, and whenever the broker does not acknowledge in time, publishing fails with a
 * retriable PUBLISH_UNAVAILABLE instead of queueing without bound.
 *
 * Producer names are left to the broker. Broker deduplication keys on the producer name and sequence id;
 * a generated name is unique per producer, so resends after a reconnect (same name, same sequence ids) are
 * still dropped as duplicates, while a stable name would have to be unique per API instance and resume
 * from the broker's last sequence id, which a restarted instance cannot guarantee without more state.
 * Duplicates across requests are handled by Gyre's own idempotency claims instead.
 */
/** One publish of a request's events, for metrics: how long the broker took to acknowledge them all. */
export interface PublishSample {
  outcome: 'acknowledged' | 'failed';
  seconds: number;
  events: number;
}

@Injectable()
export class StreamProducers implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('StreamProducers');
  private readonly producers = new Map<string, Promise<Producer>>();
  private readonly observers = new Set<(sample: PublishSample) => void>();
  private inFlight = 0;

  /** Events sent to Pulsar and not yet acknowledged, in this process. */
  get inFlightEvents(): number {
    return this.inFlight;
  }

  /** Calls `observer` after every publish; costs nothing when nobody observes. */
  observe(observer: (sample: PublishSample) => void): void {
    this.observers.add(observer);
  }

  constructor(
    private readonly config: GyreConfig,
    private readonly pulsar: Client,
    private readonly catalog: StreamCatalog,
  ) {}

  /** A deleted stream's producer is closed first: the broker refuses to delete a topic with producers. */
  onModuleInit(): void {
    this.catalog.beforeTopicDeletion((topic) => this.forget(topic));
  }

  /** Publishes every message and resolves with their ids once the broker acknowledged all of them. */
  async publishAll(topic: string, messages: ProducerMessage[]): Promise<Array<MessageId>> {
    const { maxInFlightEvents } = this.config.ingest;
    // A single request larger than the bound still goes through when nothing else is in flight.
    if (this.inFlight > 0 && this.inFlight + messages.length > maxInFlightEvents)
      throw this.unavailable(`${this.inFlight} events are already in flight to Pulsar`);
    this.inFlight += messages.length;
    const started = this.observers.size > 0 ? performance.now() : 0;
    let outcome: PublishSample['outcome'] = 'failed';
    try {
      const producer = await this.producerFor(topic);
      const sent = await Promise.allSettled(messages.map((message) => producer.send(message)));
      const failed = sent.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw this.sendFailure(failed.reason);
      outcome = 'acknowledged';
      return sent.map((result) => (result as PromiseFulfilledResult<MessageId>).value);
    } finally {
      this.inFlight -= messages.length;
      if (this.observers.size > 0) {
        const sample = { outcome, seconds: (performance.now() - started) / 1000, events: messages.length };
        for (const observer of this.observers) observer(sample);
      }
    }
  }

  /** Closes the producer of a deleted stream. */
  async forget(topic: string): Promise<void> {
    const producer = this.producers.get(topic);
    this.producers.delete(topic);
    await producer?.then((ready) => ready.close()).catch(() => undefined);
  }

  /** Drains every producer; the process's core closes the client and its connections. */
  async onApplicationShutdown(): Promise<void> {
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(
      producers.map((producer) => producer.then((ready) => ready.close()).catch(() => undefined)),
    );
  }

  private producerFor(topic: string): Promise<Producer> {
    let producer = this.producers.get(topic);
    if (!producer) {
      producer = this.createProducer(topic);
      this.producers.set(topic, producer);
      // A failed creation is not cached: the next request tries again.
      producer.catch(() => this.producers.get(topic) === producer && this.producers.delete(topic));
    }
    return producer;
  }

  private async createProducer(topic: string): Promise<Producer> {
    const { sendTimeoutMs, maxInFlightEvents } = this.config.ingest;
    const creating = this.pulsar.createProducer({
      topic,
      sendTimeoutMs,
      maxPendingMessages: maxInFlightEvents,
      batchingEnabled: true,
      batchingMaxPublishDelayMs: 5,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.unavailable(`no producer on the stream within ${sendTimeoutMs} ms`)),
        sendTimeoutMs,
      );
    });
    // A creation that completes after its timeout must not leak a producer.
    creating.then(
      (late) => {
        if (timer === undefined) void late.close().catch(() => undefined);
      },
      () => undefined,
    );
    try {
      return await Promise.race([creating, timeout]);
    } catch (error) {
      throw error instanceof StreamsError ? error : this.sendFailure(error);
    } finally {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  private sendFailure(error: unknown): StreamsError {
    if (error instanceof PulsarClientError && error.code === 'MESSAGE_TOO_LARGE')
      return new StreamsError('EVENT_TOO_LARGE', "an event exceeds the broker's maximum message size", {
        cause: error,
      });
    const reason = error instanceof PulsarClientError ? error.code : 'publish failed';
    this.logger.warn({ msg: 'publish failed', reason, error: String(error) });
    return this.unavailable(`Pulsar did not acknowledge the events (${reason})`, error);
  }

  private unavailable(message: string, cause?: unknown): StreamsError {
    return new StreamsError('PUBLISH_UNAVAILABLE', message, {
      retriable: true,
      cause,
      retryAfterSeconds: this.config.ingest.retryAfterSeconds,
    });
  }
}
