import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client, Consumer, Message, Producer } from '@gyre/pulsar';
import { StreamNamespace } from '@gyre/streams';

/** The outcome of each lease of a settlement the holder could not apply (its leases run on). */
export const RELAY_UNAVAILABLE = 'unavailable';

/** A settlement of leases held by another API instance, passed on to it. */
export interface RelayedSettlement {
  /** The instance holding the leases (the one that issued their tokens). */
  to: string;
  stream: string;
  subscription: string;
  op: 'ack' | 'nack' | 'extend';
  /** nack: redeliver after this long. */
  delayMs?: number;
  /** extend: the leases' new end. */
  expiresAt?: number;
  /** [lease id, message id, the token's expiry] per lease. */
  leases: Array<[number, string, number]>;
}

/** What travels on the relay topic: a settlement for its holder, or the holder's answer. */
type RelayMessage =
  | (RelayedSettlement & { from: string; id: number })
  | { op: 'answer'; to: string; id: number; outcomes: string[] };

/** The holder's side: applies a settlement, answering one outcome per lease. */
export type ApplySettlement = (settlement: RelayedSettlement) => Promise<string[]>;

let lastRequestId = 0;

/**
 * Settlements between API instances, over one non-persistent Pulsar topic in Gyre's namespace: the
 * instance that gets an ack, nack or lease extension for another's token asks the holder (which alone
 * holds the message in its consumer) to apply it, and answers its client with the holder's outcomes.
 * Non-persistent because a settlement is worth nothing once its holder is gone: its consumer closed and
 * the broker re-dispatched what it held. Every instance reads every message (one topic, nothing left
 * behind per instance); each applies only those addressed to it.
 */
@Injectable()
export class LeaseRelay implements OnApplicationShutdown {
  private readonly logger = new Logger('LeaseRelay');
  private listening?: Promise<Consumer>;
  private producer?: Promise<Producer>;
  private readonly waiting = new Map<number, (outcomes: string[] | undefined) => void>();

  constructor(
    private readonly pulsar: Client,
    private readonly namespace: StreamNamespace,
  ) {}

  get topic(): string {
    return `non-persistent://${this.namespace.name}/gyre-lease-relay`;
  }

  /** Starts receiving what is addressed to `instance` (once; a failed start is retried on the next call). */
  async listen(instance: string, apply: ApplySettlement): Promise<void> {
    this.listening ??= this.pulsar.subscribe({
      topic: this.topic,
      subscription: `lease-relay-${instance}`,
      subscriptionType: 'Exclusive',
      receiverQueueSize: 1000,
      listener: async (message: Message, consumer: Consumer) => {
        const relayed = parse(message);
        if (relayed?.to === instance) await this.receive(relayed, apply);
        await consumer.acknowledge(message);
      },
    });
    try {
      await this.listening;
    } catch (error) {
      this.listening = undefined;
      throw error;
    }
  }

  /**
   * Asks the holder to apply `settlement` and waits up to `timeoutMs` for its outcomes; undefined when
   * no answer came (the holder is gone, and with it its leases). Call `listen` first.
   */
  async request(
    from: string,
    settlement: RelayedSettlement,
    timeoutMs: number,
  ): Promise<string[] | undefined> {
    const id = ++lastRequestId;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<string[] | undefined>((resolve) => {
      this.waiting.set(id, resolve);
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      await this.publish({ ...settlement, from, id });
      return await answered;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const resolve of this.waiting.values()) resolve(undefined);
    const closing = [this.listening, this.producer].map(async (pending) => {
      const handle = await pending?.catch(() => undefined);
      await handle?.close().catch(() => undefined);
    });
    await Promise.all(closing);
  }

  private async receive(relayed: RelayMessage, apply: ApplySettlement): Promise<void> {
    if (relayed.op === 'answer') {
      this.waiting.get(relayed.id)?.(relayed.outcomes);
      return;
    }
    let outcomes: string[];
    try {
      outcomes = await apply(relayed);
    } catch (error) {
      // The leases run on here (e.g. an ack whose commit failed): the asker answers its client with a retry.
      this.logger.warn({ msg: 'applying a relayed settlement failed', error: String(error) });
      outcomes = relayed.leases.map(() => RELAY_UNAVAILABLE);
    }
    try {
      await this.publish({ op: 'answer', to: relayed.from, id: relayed.id, outcomes });
    } catch (error) {
      // No answer: the asking instance times out and answers its client `unknown`.
      this.logger.warn({ msg: 'answering a relayed settlement failed', error: String(error) });
    }
  }

  private async publish(message: RelayMessage): Promise<void> {
    this.producer ??= this.pulsar.createProducer({ topic: this.topic, batchingEnabled: false });
    let producer: Producer;
    try {
      producer = await this.producer;
    } catch (error) {
      this.producer = undefined;
      throw error;
    }
    await producer.send({ data: Buffer.from(JSON.stringify(message)) });
  }
}

function parse(message: Message): RelayMessage | undefined {
  try {
    const value = JSON.parse(message.getData().toString('utf8')) as RelayMessage;
    return typeof value.to === 'string' && typeof value.id === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
