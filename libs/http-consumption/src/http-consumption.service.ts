import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { InitialPosition, Message } from '@gyre/pulsar';
import { messagesJson, StreamDirectory, StreamNamespace, StreamsError } from '@gyre/streams';
import { LeaseOutcome } from './lease-book';
import { LeaseRelay, RELAY_UNAVAILABLE, RelayedSettlement } from './lease-relay';
import { LeaseClaim, LeaseTokens, TokenReading } from './lease-token';
import { LeasedMessage, leasedMessage, PullResult } from './leased-message';
import { checkSubscription, receiveUpTo } from './receive-up-to';
import { SubscriptionConsumer, SubscriptionConsumers } from './subscription-consumers';

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

/**
 * Per token: what happened. `misdirected`: leased by another API process whose token key this one does
 * not share (no CONSUME_LEASE_TOKEN_SECRET), so it cannot pass the settlement on.
 */
export type SettleOutcome = LeaseOutcome | 'misdirected';

export interface SettleResult {
  index: number;
  messageId: string | null;
  result: SettleOutcome;
}

/** Per token of an extension: `extended` with its new token, or how its lease ended. */
export interface ExtendResult {
  index: number;
  messageId: string | null;
  result: SettleOutcome | 'extended';
  leaseToken?: string;
}

type ValidReading = Exclude<TokenReading, { kind: 'invalid' }>;

export interface StreamRequest extends Omit<PullRequest, 'max' | 'waitMs'> {
  /** Leases of this stream running at once, at most. */
  credits: number;
  durationMs: number;
}

/** How often an idle stream looks at its client, its deadline and shutdown. */
const STREAM_POLL_MS = 1000;

let lastLeaseId = 0;

/**
 * A queue consumer over HTTP: pulls lease messages of a Shared subscription to a client, which acks,
 * nacks or extends them by lease token; a lease not settled in time ends and the message is redelivered.
 * A lease lives in the process whose consumer holds the message; a token of another process (verified
 * with the shared secret) is settled there through the lease relay, so any instance serves any request.
 */
@Injectable()
export class HttpConsumptionService implements BeforeApplicationShutdown {
  private readonly tokens: LeaseTokens;
  private closing = false;

  constructor(
    private readonly directory: StreamDirectory,
    private readonly config: GyreConfig,
    private readonly namespace: StreamNamespace,
    private readonly consumers: SubscriptionConsumers,
    private readonly relay: LeaseRelay,
  ) {
    this.tokens = new LeaseTokens(config.consume.leaseTokenSecret);
  }

  async pull(request: PullRequest): Promise<PullResult> {
    const entry = await this.open(request);
    try {
      return await this.lease(entry, request);
    } finally {
      this.consumers.release(entry);
    }
  }

  /**
   * A long-lived stream of leases as NDJSON text, one message per line, with credit-based flow control:
   * at most `credits` of its leases run at once, and each one that ends (acked, nacked or expired, through
   * any instance) gives its credit back. Ends when `signal` aborts, after `durationMs`, or at shutdown.
   */
  async *stream(request: StreamRequest, signal: AbortSignal): AsyncGenerator<string> {
    const entry = await this.open(request);
    const end = Date.now() + request.durationMs;
    let running = 0;
    let creditBack: (() => void) | undefined;
    const ended = (): void => {
      running -= 1;
      creditBack?.();
    };
    const live = (): boolean => !signal.aborted && !this.closing && Date.now() < end;
    try {
      yield ''; // opened: the caller can answer 200 now and problems before this one
      while (live()) {
        const room = Math.min(
          request.credits - running,
          this.config.consume.maxLeasesPerConsumer - entry.leases.outstanding,
        );
        if (room <= 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, STREAM_POLL_MS);
            creditBack = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          creditBack = undefined;
          continue;
        }
        const messages = await this.receive(
          entry,
          room,
          Math.max(0, Math.min(STREAM_POLL_MS, end - Date.now())),
        );
        if (messages.length === 0) continue;
        const { messages: leased, ids } = this.leaseAll(entry, request, messages);
        running += ids.length;
        for (const id of ids) entry.leases.watch(id, ended);
        yield leased.map((message) => messagesJson([message]).slice(1, -1)).join('\n') + '\n';
      }
    } finally {
      this.consumers.release(entry);
    }
  }

  /** Streams end (their clients reconnect elsewhere) before the HTTP server waits for open requests. */
  beforeApplicationShutdown(): void {
    this.closing = true;
  }

  /** The subscription's consumer for a pull or stream, checked and in use until released. */
  private async open(request: Omit<PullRequest, 'max' | 'waitMs'>): Promise<SubscriptionConsumer> {
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
      await this.listenForRelayed();
    } catch (error) {
      this.consumers.release(entry);
      throw error;
    }
    return entry;
  }

  ack(stream: string, subscription: string, leaseTokens: string[]): Promise<SettleResult[]> {
    return this.settle({ stream, subscription, op: 'ack' }, leaseTokens) as Promise<SettleResult[]>;
  }

  nack(stream: string, subscription: string, leaseTokens: string[], delayMs = 0): Promise<SettleResult[]> {
    return this.settle({ stream, subscription, op: 'nack', delayMs }, leaseTokens) as Promise<SettleResult[]>;
  }

  /**
   * Moves the leases' end to `leaseMs` from now (like SQS's ChangeMessageVisibility): new tokens carry the
   * new expiry. A lease already past its end cannot come back: the whole request is refused.
   */
  async extend(
    stream: string,
    subscription: string,
    leaseTokens: string[],
    leaseMs: number,
  ): Promise<ExtendResult[]> {
    const expiresAt = Date.now() + leaseMs;
    const readings = this.readTokens(stream, subscription, leaseTokens);
    const expired = readings.flatMap((reading, index) =>
      reading.kind !== 'misdirected' && reading.claim.expiresAt <= Date.now() ? [index] : [],
    );
    if (expired.length > 0)
      throw new StreamsError(
        'LEASE_EXPIRED',
        'leases already ended cannot be extended; nothing was extended',
        {
          problems: expired.map((index) => ({
            pointer: `/leaseTokens/${index}`,
            detail: 'the lease ran out: its message was or will be redelivered',
          })),
        },
      );
    const results = await this.settle(
      { stream, subscription, op: 'extend', expiresAt },
      leaseTokens,
      readings,
    );
    return results.map((result, index) => {
      if (result.result !== 'extended') return result;
      const { claim } = readings[index];
      return { ...result, leaseToken: this.tokens.issue(stream, subscription, { ...claim, expiresAt }) };
    });
  }

  /** Applies a settlement another instance passed on for leases held here. */
  private async applyRelayed(settlement: RelayedSettlement): Promise<string[]> {
    const entry = await this.consumers.find(settlement.stream, settlement.subscription);
    const claims = settlement.leases.map(([leaseId, messageId, expiresAt]): LeaseClaim => ({
      instance: settlement.to,
      leaseId,
      messageId,
      expiresAt,
    }));
    return this.settleHere(entry, settlement, claims);
  }

  private async settleHere(
    entry: SubscriptionConsumer | undefined,
    settlement: Omit<RelayedSettlement, 'to' | 'leases'>,
    claims: LeaseClaim[],
  ): Promise<Array<SettleOutcome | 'extended'>> {
    if (!entry) return claims.map((claim) => (claim.expiresAt <= Date.now() ? 'expired' : 'unknown'));
    const { op, delayMs = 0, expiresAt = 0 } = settlement;
    if (op === 'extend') return entry.leases.extend(claims, expiresAt);
    if (op === 'nack') return claims.map((claim) => entry.leases.nack(claim, delayMs));
    return Promise.all(claims.map((claim) => entry.leases.ack(claim)));
  }

  private async listenForRelayed(): Promise<void> {
    if (!this.tokens.shared) return;
    try {
      await this.relay.listen(this.tokens.instance, (settlement) => this.applyRelayed(settlement));
    } catch (error) {
      throw new StreamsError('CONSUME_UNAVAILABLE', 'Pulsar did not open the lease relay; retry later', {
        retriable: true,
        cause: error,
        retryAfterSeconds: this.config.ingest.retryAfterSeconds,
      });
    }
  }

  private async lease(entry: SubscriptionConsumer, request: PullRequest): Promise<PullResult> {
    const room = this.config.consume.maxLeasesPerConsumer - entry.leases.outstanding;
    if (room <= 0)
      throw new StreamsError(
        'LEASE_LIMIT_REACHED',
        `subscription "${request.subscription}" has ${entry.leases.outstanding} messages leased here; ack or nack some first`,
        { retriable: true, retryAfterSeconds: 1 },
      );
    const messages = await this.receive(entry, Math.min(request.max, room), request.waitMs);
    const { messages: leased, expiresAt } = this.leaseAll(entry, request, messages);
    return { messages: leased, leaseExpiresAt: new Date(expiresAt).toISOString() };
  }

  /** Receives up to `max` messages, holding room for them among the consumer's leases meanwhile. */
  private async receive(entry: SubscriptionConsumer, max: number, waitMs: number): Promise<Message[]> {
    const release = entry.leases.reserve(max);
    try {
      return await receiveUpTo(entry.consumer, max, waitMs);
    } catch (error) {
      throw new StreamsError('CONSUME_UNAVAILABLE', 'receiving from Pulsar failed; retry later', {
        retriable: true,
        cause: error,
        retryAfterSeconds: this.config.ingest.retryAfterSeconds,
      });
    } finally {
      release();
    }
  }

  /** Leases received messages: one expiry, one signature, consecutive lease ids. */
  private leaseAll(
    entry: SubscriptionConsumer,
    request: Pick<PullRequest, 'stream' | 'subscription' | 'leaseMs'>,
    messages: Message[],
  ): { messages: LeasedMessage[]; ids: number[]; expiresAt: number } {
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
      ids: leases.map(({ id }) => id),
      expiresAt,
    };
  }

  /** Settles each token where its lease lives: here, or at its holder through the relay. */
  private async settle(
    settlement: Omit<RelayedSettlement, 'to' | 'leases'>,
    leaseTokens: string[],
    readings = this.readTokens(settlement.stream, settlement.subscription, leaseTokens),
  ): Promise<ExtendResult[]> {
    const outcomes = new Array<SettleOutcome | 'extended'>(readings.length).fill('misdirected');
    const byInstance = new Map<string, number[]>();
    readings.forEach((reading, index) => {
      if (reading.kind === 'misdirected') return;
      const positions = byInstance.get(reading.claim.instance);
      if (positions) positions.push(index);
      else byInstance.set(reading.claim.instance, [index]);
    });
    await Promise.all(
      [...byInstance].map(async ([instance, positions]) => {
        const claims = positions.map((index) => readings[index].claim);
        const answered =
          instance === this.tokens.instance
            ? await this.settleHere(
                await this.consumers.find(settlement.stream, settlement.subscription),
                settlement,
                claims,
              )
            : await this.relayTo(instance, settlement, claims);
        positions.forEach((index, position) => (outcomes[index] = answered[position]));
      }),
    );
    return readings.map((reading, index) => ({
      index,
      messageId: reading.claim.messageId,
      result: outcomes[index],
    }));
  }

  /** The holder's answers; without one in time the holder is gone and its leases with it. */
  private async relayTo(
    instance: string,
    settlement: Omit<RelayedSettlement, 'to' | 'leases'>,
    claims: LeaseClaim[],
  ): Promise<Array<SettleOutcome | 'extended'>> {
    await this.listenForRelayed();
    let answer: string[] | undefined;
    try {
      answer = await this.relay.request(
        this.tokens.instance,
        {
          ...settlement,
          to: instance,
          leases: claims.map((claim) => [claim.leaseId, claim.messageId, claim.expiresAt]),
        },
        this.config.ingest.sendTimeoutMs,
      );
    } catch (error) {
      throw new StreamsError('CONSUME_UNAVAILABLE', 'the lease relay is unreachable; retry later', {
        retriable: true,
        cause: error,
        retryAfterSeconds: this.config.ingest.retryAfterSeconds,
      });
    }
    if (answer?.includes(RELAY_UNAVAILABLE))
      throw new StreamsError(
        'CONSUME_UNAVAILABLE',
        'the instance holding the leases could not settle them; retry',
        {
          retriable: true,
          retryAfterSeconds: this.config.ingest.retryAfterSeconds,
        },
      );
    return claims.map((claim, position): SettleOutcome | 'extended' => {
      const outcome = answer?.[position];
      if (outcome && OUTCOMES.has(outcome)) return outcome as SettleOutcome | 'extended';
      return claim.expiresAt <= Date.now() ? 'expired' : 'unknown';
    });
  }

  /** Reads every token; one forged or mistyped token refuses the request, so nothing is settled. */
  private readTokens(stream: string, subscription: string, leaseTokens: string[]): ValidReading[] {
    const verified = new Set<string>();
    const readings = leaseTokens.map((token) => this.tokens.read(stream, subscription, token, verified));
    const invalid = readings.flatMap((reading, index) => (reading.kind === 'invalid' ? [index] : []));
    if (invalid.length > 0)
      throw new StreamsError('INVALID_LEASE_TOKEN', 'lease tokens not issued for this subscription', {
        problems: invalid.map((index) => ({
          pointer: `/leaseTokens/${index}`,
          detail: `not a lease token of subscription "${subscription}" of stream "${stream}"`,
        })),
      });
    return readings as ValidReading[];
  }
}

const OUTCOMES = new Set(['acked', 'nacked', 'expired', 'unknown', 'extended']);
