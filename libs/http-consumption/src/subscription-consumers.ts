import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { Client, Consumer, InitialPosition } from '@gyre/pulsar';
import { StreamsError } from '@gyre/streams';
import { CommittedAcks } from './committed-acks';
import { LeaseBook } from './lease-book';

/** How a subscription's consumer is created; only maxRedeliveries must agree across pulls. */
export interface SubscriptionSettings {
  maxRedeliveries: number;
  initialPosition: InitialPosition;
}

/** One subscription's consumer in this process, with its leases. */
export interface SubscriptionConsumer {
  stream: string;
  subscription: string;
  consumer: Consumer;
  leases: LeaseBook;
  maxRedeliveries: number;
  lastUsed: number;
  /** Requests using it right now: never closed while above 0. */
  users: number;
}

// Redelivery after a nack is due at once (delays are held by the lease book); 100 ms groups them.
const NACK_REDELIVER_MS = 100;

/**
 * One Shared consumer per (stream, subscription) in this process, created on first use and closed once
 * it has been idle (no request, nothing leased) for CONSUME_IDLE_CONSUMER_MS: memory stays bounded by
 * the subscriptions in active use. Closing hands prefetched and leased messages back to the broker.
 */
@Injectable()
export class SubscriptionConsumers implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SubscriptionConsumers');
  private readonly entries = new Map<string, Promise<SubscriptionConsumer>>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly config: GyreConfig,
    private readonly pulsar: Client,
  ) {}

  /** The idle sweeper starts with the role that serves HTTP consumers, not when the module is imported. */
  onModuleInit(): void {
    this.sweeper = setInterval(
      () => void this.closeIdle(),
      Math.min(10_000, this.config.consume.idleConsumerMs / 4),
    );
    this.sweeper.unref();
  }

  /** The subscription's consumer, created if needed, marked in use until `release`. */
  async acquire(
    stream: string,
    subscription: string,
    topic: string,
    settings: SubscriptionSettings,
  ): Promise<SubscriptionConsumer> {
    const key = keyOf(stream, subscription);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.create(stream, subscription, topic, settings);
      this.entries.set(key, entry);
      entry.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    const ready = await entry;
    if (ready.maxRedeliveries !== settings.maxRedeliveries)
      throw new StreamsError(
        'SUBSCRIPTION_SETTINGS_CONFLICT',
        `subscription "${subscription}" is consumed here with maxRedeliveries ${ready.maxRedeliveries}`,
        {
          problems: [
            { pointer: '/maxRedeliveries', detail: `must be ${ready.maxRedeliveries} while in use` },
          ],
        },
      );
    ready.users += 1;
    ready.lastUsed = Date.now();
    return ready;
  }

  release(entry: SubscriptionConsumer): void {
    entry.users -= 1;
    entry.lastUsed = Date.now();
  }

  /** The subscription's consumer if this process has one (acks and nacks never create one). */
  async find(stream: string, subscription: string): Promise<SubscriptionConsumer | undefined> {
    const entry = await this.entries.get(keyOf(stream, subscription))?.catch(() => undefined);
    if (entry) entry.lastUsed = Date.now();
    return entry;
  }

  /** Closes the consumers of a stream that no longer exists. */
  async forgetStream(stream: string): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const [key, entry] of this.entries)
      if (key.startsWith(`${stream}\n`)) closing.push(this.close(key, entry));
    await Promise.all(closing);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.entries].map(([key, entry]) => this.close(key, entry)));
  }

  private async create(
    stream: string,
    subscription: string,
    topic: string,
    settings: SubscriptionSettings,
  ): Promise<SubscriptionConsumer> {
    const { sendTimeoutMs, retryAfterSeconds } = this.config.ingest;
    const { receiverQueueSize, maxLeasesPerConsumer, ackMode } = this.config.consume;
    const subscribing = this.pulsar.subscribe({
      topic,
      subscription,
      subscriptionType: 'Shared',
      subscriptionInitialPosition: settings.initialPosition,
      receiverQueueSize,
      nAckRedeliverTimeoutMs: NACK_REDELIVER_MS,
      // An ack of one event of a request's batch entry must stick when a sibling is nacked or expires.
      batchIndexAckEnabled: true,
      deadLetterPolicy: { maxRedeliverCount: settings.maxRedeliveries },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no subscription within ${sendTimeoutMs} ms`)),
        sendTimeoutMs,
      );
    });
    // A subscription that completes after its timeout must not leak a consumer.
    subscribing.then(
      (late) => timer === undefined && void late.close().catch(() => undefined),
      () => undefined,
    );
    try {
      const consumer = await Promise.race([subscribing, timeout]);
      this.logger.log({ msg: 'subscription consumer opened', stream, subscription });
      return {
        stream,
        subscription,
        consumer,
        leases: new LeaseBook(
          ackMode === 'committed' ? new CommittedAcks(this.pulsar, consumer, sendTimeoutMs) : consumer,
          maxLeasesPerConsumer,
        ),
        maxRedeliveries: settings.maxRedeliveries,
        lastUsed: Date.now(),
        users: 0,
      };
    } catch (error) {
      this.logger.warn({ msg: 'subscribing failed', stream, subscription, error: String(error) });
      throw new StreamsError('CONSUME_UNAVAILABLE', 'Pulsar did not open the subscription; retry later', {
        retriable: true,
        cause: error,
        retryAfterSeconds,
      });
    } finally {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  private async closeIdle(): Promise<void> {
    const idleSince = Date.now() - this.config.consume.idleConsumerMs;
    for (const [key, pending] of this.entries) {
      const entry = await pending.catch(() => undefined);
      if (entry && entry.users === 0 && entry.leases.outstanding === 0 && entry.lastUsed < idleSince)
        await this.close(key, pending);
    }
  }

  private async close(key: string, pending: Promise<SubscriptionConsumer>): Promise<void> {
    if (this.entries.get(key) !== pending) return;
    this.entries.delete(key);
    const entry = await pending.catch(() => undefined);
    if (!entry) return;
    entry.leases.close();
    await entry.consumer.close().catch((error: unknown) =>
      this.logger.warn({
        msg: 'closing a subscription consumer failed',
        stream: entry.stream,
        subscription: entry.subscription,
        error: String(error),
      }),
    );
    this.logger.log({
      msg: 'subscription consumer closed',
      stream: entry.stream,
      subscription: entry.subscription,
    });
  }
}

function keyOf(stream: string, subscription: string): string {
  return `${stream}\n${subscription}`;
}
