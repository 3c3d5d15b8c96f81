import { Injectable } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { Consumer, InitialPosition, Message, PulsarClientError } from '@gyre/pulsar';
import { StreamDirectory, StreamNamespace, StreamsError } from '@gyre/streams';
import { LeaseOutcome } from './lease-book';
import { LeaseClaim, LeaseTokens } from './lease-token';
import { leasedMessage, PullResult } from './leased-message';
import { SubscriptionConsumer, SubscriptionConsumers } from './subscription-consumers';

/** Subscription names (they become part of Pulsar cursor and DLQ topic names). */
export const SUBSCRIPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const MAX_PULL = 1000;

export interface PullRequest {
  stream: string;
  subscription: string;
  max: number;
  waitMs: number;
  leaseMs?: number;
  maxRedeliveries?: number;
  /** Where a subscription that does not exist yet starts; Pulsar's default is Latest. */
  initialPosition?: InitialPosition;
}

/** Per token: what happened. `misdirected`: leased by another API process, which alone can settle it. */
export type SettleOutcome = LeaseOutcome | 'misdirected';

export interface SettleResult {
  index: number;
  messageId: string | null;
  result: SettleOutcome;
}

let lastLeaseId = 0;

/**
 * A queue consumer over HTTP: pulls lease messages of a Shared subscription to a client, which acks or
 * nacks them by lease token; a lease not settled in time ends and the message is redelivered. Leases live
 * in the process holding the consumer, and only that process can settle them.
 */
@Injectable()
export class HttpConsumptionService {
  private readonly tokens: LeaseTokens;

  constructor(
    private readonly directory: StreamDirectory,
    private readonly config: GyreConfig,
    private readonly namespace: StreamNamespace,
    private readonly consumers: SubscriptionConsumers,
  ) {
    this.tokens = new LeaseTokens(config.consume.leaseTokenSecret);
  }

  async pull(request: PullRequest): Promise<PullResult> {
    const { stream, subscription } = request;
    checkSubscription(subscription);
    const settings = this.config.consume;
    await this.directory.lookup(stream).catch(async (error: unknown) => {
      if (error instanceof StreamsError && error.code === 'STREAM_NOT_FOUND')
        await this.consumers.forgetStream(stream);
      throw error;
    });
    const entry = await this.consumers.acquire(stream, subscription, this.namespace.topic(stream), {
      maxRedeliveries: request.maxRedeliveries ?? settings.maxRedeliveries,
      initialPosition: request.initialPosition ?? 'Latest',
    });
    try {
      return await this.lease(entry, request);
    } finally {
      this.consumers.release(entry);
    }
  }

  ack(stream: string, subscription: string, leaseTokens: string[]): Promise<SettleResult[]> {
    return this.settle(stream, subscription, leaseTokens, (entry, claim) => entry.leases.ack(claim));
  }

  nack(stream: string, subscription: string, leaseTokens: string[], delayMs = 0): Promise<SettleResult[]> {
    return this.settle(stream, subscription, leaseTokens, async (entry, claim) =>
      entry.leases.nack(claim, delayMs),
    );
  }

  private async lease(entry: SubscriptionConsumer, request: PullRequest): Promise<PullResult> {
    const room = this.config.consume.maxLeasesPerConsumer - entry.leases.outstanding;
    if (room <= 0)
      throw new StreamsError(
        'LEASE_LIMIT_REACHED',
        `subscription "${request.subscription}" has ${entry.leases.outstanding} messages leased here; ack or nack some first`,
        { retriable: true, retryAfterSeconds: 1 },
      );
    const release = entry.leases.reserve(Math.min(request.max, room));
    let messages: Message[];
    try {
      messages = await receiveUpTo(entry.consumer, Math.min(request.max, room), request.waitMs);
    } catch (error) {
      throw new StreamsError('CONSUME_UNAVAILABLE', 'receiving from Pulsar failed; retry later', {
        retriable: true,
        cause: error,
        retryAfterSeconds: this.config.ingest.retryAfterSeconds,
      });
    } finally {
      release();
    }
    const expiresAt = Date.now() + (request.leaseMs ?? this.config.consume.defaultLeaseMs);
    const firstLeaseId = lastLeaseId + 1;
    lastLeaseId += messages.length;
    const tokenOf = this.tokens.issueBatch(request.stream, request.subscription, {
      firstLeaseId,
      count: messages.length,
      expiresAt,
    });
    const leases = messages.map((message, position) => ({
      id: firstLeaseId + position,
      message,
      messageId: message.getMessageId().toOpaqueString(),
    }));
    entry.leases.leaseAll(leases, expiresAt);
    return {
      messages: leases.map(({ id, message, messageId }) =>
        leasedMessage(message, tokenOf(id, messageId), messageId),
      ),
      leaseExpiresAt: new Date(expiresAt).toISOString(),
    };
  }

  private async settle(
    stream: string,
    subscription: string,
    leaseTokens: string[],
    settleOne: (entry: SubscriptionConsumer, claim: LeaseClaim) => Promise<LeaseOutcome>,
  ): Promise<SettleResult[]> {
    const verified = new Set<string>();
    const readings = leaseTokens.map((token) => this.tokens.read(stream, subscription, token, verified));
    const invalid = readings.flatMap((reading, index) => (reading.kind === 'invalid' ? [index] : []));
    // All or nothing: one forged or mistyped token settles nothing, so the client can fix and resend.
    if (invalid.length > 0)
      throw new StreamsError('INVALID_LEASE_TOKEN', 'lease tokens not issued for this subscription', {
        problems: invalid.map((index) => ({
          pointer: `/leaseTokens/${index}`,
          detail: `not a lease token of subscription "${subscription}" of stream "${stream}"`,
        })),
      });
    const entry = await this.consumers.find(stream, subscription);
    return Promise.all(
      readings.map(async (reading, index): Promise<SettleResult> => {
        if (reading.kind === 'invalid') throw new Error('unreachable');
        const { claim } = reading;
        const result: SettleOutcome =
          reading.kind === 'foreign'
            ? 'misdirected'
            : entry
              ? await settleOne(entry, claim)
              : claim.expiresAt <= Date.now()
                ? 'expired'
                : 'unknown';
        return { index, messageId: claim.messageId, result };
      }),
    );
  }
}

function checkSubscription(subscription: string): void {
  if (!SUBSCRIPTION_NAME.test(subscription))
    throw new StreamsError('INVALID_SUBSCRIPTION', `invalid subscription name "${subscription}"`, {
      problems: [
        {
          pointer: '/params/sub',
          detail: "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit",
        },
      ],
    });
}

/** Waits up to `waitMs` for a first message, then takes whatever else is already there, up to `max`. */
async function receiveUpTo(consumer: Consumer, max: number, waitMs: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < max) {
    try {
      messages.push(await consumer.receive(messages.length === 0 ? waitMs : 0));
    } catch (error) {
      if (error instanceof PulsarClientError && error.code === 'TIMEOUT') break;
      if (messages.length > 0) break; // hand out what was leased; the next pull reports the failure
      throw error;
    }
  }
  return messages;
}
