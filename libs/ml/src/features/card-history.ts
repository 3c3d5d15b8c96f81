import { MlError } from '../ml-error';
import type { CardTransaction } from '../synthetic/transaction';
import { CardState, CardStateSnapshot } from './card-state';

/** A transaction kept apart from the statistics: [timestamp, amount, eventId, country]. */
export type PendingTransaction = readonly [number, number, string, string];

/**
 * Version 2 of the card-state snapshot: the version 1 fields are the statistics of the settled
 * transactions; `pending` holds the recent ones, sorted by (time, event id), not yet folded into them.
 */
export interface CardHistorySnapshot extends Omit<CardStateSnapshot, 'formatVersion'> {
  readonly formatVersion: 2;
  readonly pending: readonly PendingTransaction[];
}

/**
 * One card's history that accepts its transactions out of event-time order within an allowed lateness.
 * The transactions within that lateness of the card's latest stay apart, sorted by event time, and are
 * folded into the running statistics in that order once they are older: so `asOf(t)` (the statistics
 * plus the kept transactions strictly before t) is the same whatever order they arrived in, to the bit.
 * A transaction older than everything kept apart is folded at once: features of later ones count it,
 * but the statistics already held some of its future (it is late: see `lateness`).
 */
export class CardHistory {
  private constructor(
    private readonly settled: CardState,
    private readonly pending: PendingTransaction[],
  ) {}

  static empty(cardId: string): CardHistory {
    return new CardHistory(new CardState(cardId), []);
  }

  /** From a version 2 snapshot, or a version 1 one (its statistics, nothing kept apart). */
  static restore(snapshot: unknown): CardHistory {
    const value = snapshot as Partial<CardHistorySnapshot> | null;
    if (typeof value === 'object' && value !== null) {
      if ((value.formatVersion as number) === 1) return new CardHistory(CardState.restore(value), []);
      if (value.formatVersion === 2 && Array.isArray(value.pending) && value.pending.every(isPending))
        return new CardHistory(
          CardState.fromStatistics(value),
          value.pending.map(([time, amount, id, country]) => [time, amount, id, country] as const),
        );
    }
    throw new MlError('INVALID_FEATURE_STATE', 'not a gyre.card-state snapshot of format version 1 or 2');
  }

  get cardId(): string {
    return this.settled.cardId;
  }

  snapshot(): CardHistorySnapshot {
    return {
      ...this.settled.snapshot(),
      formatVersion: 2,
      pending: this.pending.map(([time, amount, id, country]) => [time, amount, id, country] as const),
    };
  }

  /** The latest event time recorded (null for a card without transactions). */
  get latestTime(): number | null {
    const settled = this.settled.lastTransactionTime;
    const pending = this.pending.length > 0 ? this.pending[this.pending.length - 1][0] : null;
    if (settled === null) return pending;
    return pending === null ? settled : Math.max(settled, pending);
  }

  /** How far `time` is behind the card's latest event time (0 when it is not behind). */
  lateness(time: number): number {
    const latest = this.latestTime;
    return latest === null ? 0 : Math.max(0, latest - time);
  }

  hasRecorded(eventId: string): boolean {
    return this.settled.hasRecorded(eventId) || this.pending.some(([, , id]) => id === eventId);
  }

  /** The card as of `time`: every recorded transaction strictly before it (what its features may read). */
  asOf(time: number): CardState {
    const view = this.settled.copy();
    for (const entry of this.pending) {
      if (entry[0] >= time) break;
      view.record(this.transactionOf(entry));
    }
    return view;
  }

  /**
   * Records a transaction (false for one already recorded: a redelivery). Transactions more than
   * `allowedLatenessMs` older than the latest are folded into the statistics, oldest first.
   */
  record(transaction: CardTransaction, allowedLatenessMs: number): boolean {
    if (transaction.cardId !== this.cardId)
      throw new MlError(
        'INVALID_ARGUMENT',
        `transaction of card ${transaction.cardId} given to ${this.cardId}`,
      );
    if (this.hasRecorded(transaction.eventId)) return false;
    const settledUpTo = this.settled.lastTransactionTime;
    if (settledUpTo !== null && transaction.timestamp < settledUpTo) return this.settled.record(transaction);
    const entry: PendingTransaction = [
      transaction.timestamp,
      transaction.amount,
      transaction.eventId,
      transaction.country,
    ];
    let at = this.pending.length;
    while (at > 0 && comesAfter(this.pending[at - 1], entry)) at -= 1;
    this.pending.splice(at, 0, entry);
    const boundary = this.latestTime! - allowedLatenessMs;
    while (this.pending.length > 0 && this.pending[0][0] < boundary)
      this.settled.record(this.transactionOf(this.pending.shift()!));
    return true;
  }

  private transactionOf([timestamp, amount, eventId, country]: PendingTransaction): CardTransaction {
    // Merchant fields are not part of a card's statistics.
    return { eventId, cardId: this.cardId, merchantId: '', merchantCategory: '', amount, country, timestamp };
  }
}

/** Ties in event time are ordered by event id, so the fold order does not depend on arrival order. */
function comesAfter(a: PendingTransaction, b: PendingTransaction): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[2] > b[2]);
}

function isPending(entry: unknown): entry is PendingTransaction {
  return (
    Array.isArray(entry) &&
    entry.length === 4 &&
    Number.isFinite(entry[0]) &&
    typeof entry[1] === 'number' &&
    entry[1] > 0 &&
    typeof entry[2] === 'string' &&
    typeof entry[3] === 'string'
  );
}
