import type { Message } from '@gyre/pulsar';
import type { LeaseClaim } from './lease-token';

/** What happened to a lease, as answered to an ack or nack. */
export type LeaseOutcome = 'acked' | 'nacked' | 'expired' | 'unknown';

/** The consumer calls a lease book makes: a subset of @gyre/pulsar's Consumer. */
export interface LeaseConsumer {
  acknowledge(message: Message): Promise<unknown>;
  negativeAcknowledge(message: Message): void;
  /** Releases what the ack path holds ahead (a prepared transaction) when the book closes. */
  dispose?(): void;
}

/** The leases of one pull share one expiry timer: a timer per message costs more than the lease itself. */
interface LeaseGroup {
  timer?: NodeJS.Timeout;
  live: Set<Lease>;
}

interface Lease {
  id: number;
  message: Message;
  messageId: string;
  expiresAt: number;
  group: LeaseGroup;
  /** The ack on its way to the broker: the lease ends when it is confirmed, and goes on if it fails. */
  acking?: Promise<LeaseOutcome>;
}

interface Settled {
  outcome: 'acked' | 'nacked';
  expiresAt: number;
}

/**
 * The leases of one subscription's consumer in this process. A lease ends in exactly one way: acked,
 * nacked (the message is redelivered, after the client's delay) or expired (redelivered at once); both
 * redeliveries go through the consumer's negative ack, so the broker counts them as for native consumers.
 * Ended leases are remembered until their expiry (at most `maxRemembered`), so a retried ack gets the
 * same answer.
 */
export class LeaseBook {
  private readonly active = new Map<number, Lease>();
  private readonly settled = new Map<number, Settled>();
  /**
   * Settled lease ids, oldest first, consumed from `settledHead`. A queue of its own because evicting from
   * the front of a Map leaves holes V8 skips on every later iteration: that cost grew with every ack.
   */
  private settledOrder: number[] = [];
  private settledHead = 0;
  /** Nacked with a delay: still held by this consumer, so still counted as outstanding. */
  private readonly delayedNacks = new Set<NodeJS.Timeout>();
  private reserved = 0;
  /** Called once when a watched lease ends, however it ends (a stream's credit comes back). */
  private readonly endWatchers = new Map<number, () => void>();

  constructor(
    private readonly consumer: LeaseConsumer,
    private readonly maxRemembered: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Messages leased or waiting for a delayed nack, plus room reserved by pulls in progress. */
  get outstanding(): number {
    return this.active.size + this.delayedNacks.size + this.reserved;
  }

  /** Reserves room for up to `count` leases while a pull waits for messages; returns the release. */
  reserve(count: number): () => void {
    this.reserved += count;
    let released = false;
    return () => {
      if (!released) this.reserved -= count;
      released = true;
    };
  }

  lease(id: number, message: Message, expiresAt: number): void {
    this.leaseAll([{ id, message, messageId: message.getMessageId().toOpaqueString() }], expiresAt);
  }

  /** The leases of one pull, all ending at `expiresAt` unless settled before. */
  leaseAll(leases: Array<{ id: number; message: Message; messageId: string }>, expiresAt: number): void {
    const group: LeaseGroup = { live: new Set() };
    for (const { id, message, messageId } of leases) {
      const lease: Lease = { id, message, messageId, expiresAt, group };
      group.live.add(lease);
      this.active.set(id, lease);
    }
    this.startTimer(group, expiresAt);
  }

  /** Calls `ended` once the running lease `id` ends (acked, nacked, expired); at once if it is not running. */
  watch(id: number, ended: () => void): void {
    if (this.active.has(id)) this.endWatchers.set(id, ended);
    else ended();
  }

  /** Whether the claim names a lease running here, which an extension could move. */
  isLive(claim: LeaseClaim): boolean {
    return this.live(claim) !== undefined;
  }

  /**
   * Moves the running leases the claims name to end at `expiresAt` (one timer for them all); answers per
   * claim, `extended` or how the lease ended.
   */
  extend(claims: LeaseClaim[], expiresAt: number): Array<LeaseOutcome | 'extended'> {
    const group: LeaseGroup = { live: new Set() };
    const outcomes = claims.map((claim): LeaseOutcome | 'extended' => {
      const lease = this.live(claim);
      if (!lease) return this.outcomeOf(claim);
      if (lease.acking) return 'acked';
      this.detach(lease);
      const moved: Lease = { ...lease, expiresAt, group };
      group.live.add(moved);
      this.active.set(moved.id, moved);
      return 'extended';
    });
    if (group.live.size > 0) this.startTimer(group, expiresAt);
    return outcomes;
  }

  private startTimer(group: LeaseGroup, expiresAt: number): void {
    group.timer = setTimeout(
      () => {
        for (const lease of [...group.live]) this.expire(lease);
      },
      Math.max(0, expiresAt - this.now()),
    );
    group.timer.unref();
  }

  /**
   * Acks the lease's message; answers `acked` once the consumer has confirmed the ack. If the ack fails the
   * lease goes on as before (or expires, if its time ran out meanwhile) and the error is thrown, so the
   * client may retry the same token. A second ack of a lease being acked shares the first one's answer.
   */
  ack(claim: LeaseClaim): Promise<LeaseOutcome> {
    const lease = this.live(claim);
    if (!lease) return Promise.resolve(this.outcomeOf(claim));
    lease.acking ??= this.consumer.acknowledge(lease.message).then(
      () => {
        this.end(lease, 'acked');
        return 'acked' as const;
      },
      (error: unknown) => {
        lease.acking = undefined;
        if (lease.expiresAt <= this.now()) this.expire(lease);
        throw error;
      },
    );
    return lease.acking;
  }

  nack(claim: LeaseClaim, delayMs: number): LeaseOutcome {
    const lease = this.live(claim);
    if (!lease) return this.outcomeOf(claim);
    // An ack already on its way wins: nacking now could redeliver a message the broker is about to settle.
    if (lease.acking) return 'acked';
    this.end(lease, 'nacked');
    if (delayMs <= 0) {
      this.consumer.negativeAcknowledge(lease.message);
      return 'nacked';
    }
    // @gyre/pulsar has no per-message nack delay: hold the message here until the delay has passed.
    const timer = setTimeout(() => {
      this.delayedNacks.delete(timer);
      this.consumer.negativeAcknowledge(lease.message);
    }, delayMs);
    timer.unref();
    this.delayedNacks.add(timer);
    return 'nacked';
  }

  /** Stops the timers; closing the consumer hands everything it holds back to the broker. */
  close(): void {
    this.consumer.dispose?.();
    for (const lease of this.active.values()) clearTimeout(lease.group.timer);
    for (const timer of this.delayedNacks) clearTimeout(timer);
    this.active.clear();
    this.delayedNacks.clear();
    for (const ended of this.endWatchers.values()) ended();
    this.endWatchers.clear();
    this.settled.clear();
    this.settledOrder = [];
    this.settledHead = 0;
  }

  /**
   * The lease the claim names, if it is still running; one past its expiry is expired on the spot, unless
   * its ack is on its way (the ack decides).
   */
  private live(claim: LeaseClaim): Lease | undefined {
    const lease = this.active.get(claim.leaseId);
    if (!lease || lease.messageId !== claim.messageId) return undefined;
    if (lease.expiresAt > this.now() || lease.acking) return lease;
    this.expire(lease);
    return undefined;
  }

  private outcomeOf(claim: LeaseClaim): LeaseOutcome {
    const settled = this.settled.get(claim.leaseId);
    if (claim.expiresAt <= this.now()) return settled?.outcome === 'acked' ? 'acked' : 'expired';
    return settled?.outcome ?? 'unknown';
  }

  private expire(lease: Lease): void {
    if (this.active.get(lease.id) !== lease || lease.acking) return;
    this.drop(lease);
    this.consumer.negativeAcknowledge(lease.message);
  }

  private end(lease: Lease, outcome: Settled['outcome']): void {
    this.drop(lease);
    this.remember(lease.id, { outcome, expiresAt: lease.expiresAt });
  }

  private drop(lease: Lease): void {
    this.detach(lease);
    const ended = this.endWatchers.get(lease.id);
    if (ended) {
      this.endWatchers.delete(lease.id);
      ended();
    }
  }

  private detach(lease: Lease): void {
    this.active.delete(lease.id);
    lease.group.live.delete(lease);
    if (lease.group.live.size === 0) clearTimeout(lease.group.timer);
  }

  private remember(id: number, settled: Settled): void {
    const now = this.now();
    while (this.settledHead < this.settledOrder.length) {
      const oldId = this.settledOrder[this.settledHead];
      const old = this.settled.get(oldId);
      if (old && old.expiresAt > now && this.settled.size < this.maxRemembered) break;
      this.settled.delete(oldId);
      this.settledHead += 1;
    }
    if (this.settledHead > 1024 && this.settledHead * 2 > this.settledOrder.length) {
      this.settledOrder = this.settledOrder.slice(this.settledHead);
      this.settledHead = 0;
    }
    this.settled.set(id, settled);
    this.settledOrder.push(id);
  }
}
