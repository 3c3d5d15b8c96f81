import { MlError } from '../ml-error';
import type { CardTransaction } from '../synthetic/transaction';

/** The longest window any feature looks back over; older history is summarised, not kept. */
export const MAX_WINDOW_MS = 24 * 60 * 60_000;

/** The serialized form of a card's state: what a stage persists and another worker recovers. */
export interface CardStateSnapshot {
  readonly format: 'gyre.card-state';
  readonly formatVersion: 1;
  readonly cardId: string;
  readonly count: number;
  readonly meanLogAmount: number;
  /** Welford's sum of squared deviations of the log amounts. */
  readonly m2LogAmount: number;
  readonly lastTimestamp: number | null;
  /** [timestamp, amount, eventId] of the transactions within MAX_WINDOW_MS of the last one. */
  readonly recent: ReadonlyArray<readonly [number, number, string]>;
  readonly countries: Readonly<Record<string, number>>;
}

/**
 * One card's running statistics over the transactions recorded in it. Recorded in event-time order it is
 * exact; CardHistory keeps the recent transactions apart and folds them in that order, and builds a
 * CardState as of any time from them (the point-in-time view features read).
 */
export class CardState {
  private count = 0;
  private meanLogAmount = 0;
  private m2LogAmount = 0;
  private lastTimestamp: number | null = null;
  private recent: Array<[number, number, string]> = [];
  private countries = new Map<string, number>();

  constructor(readonly cardId: string) {}

  /** Restores a version 1 snapshot (the statistics part of a CardHistory snapshot has the same fields). */
  static restore(snapshot: unknown): CardState {
    const value = snapshot as Partial<CardStateSnapshot> | null;
    if (typeof value !== 'object' || value === null || value.formatVersion !== 1)
      throw new MlError('INVALID_FEATURE_STATE', 'not a gyre.card-state snapshot of format version 1');
    return CardState.fromStatistics(value);
  }

  /** The statistics fields of a card-state snapshot of any version; INVALID_FEATURE_STATE otherwise. */
  static fromStatistics(value: Partial<Omit<CardStateSnapshot, 'formatVersion'>>): CardState {
    if (
      value.format !== 'gyre.card-state' ||
      typeof value.cardId !== 'string' ||
      !isFiniteNumber(value.count) ||
      !isFiniteNumber(value.meanLogAmount) ||
      !isFiniteNumber(value.m2LogAmount) ||
      !(value.lastTimestamp === null || isFiniteNumber(value.lastTimestamp)) ||
      !Array.isArray(value.recent) ||
      typeof value.countries !== 'object' ||
      value.countries === null
    ) {
      throw new MlError('INVALID_FEATURE_STATE', 'not the statistics of a gyre.card-state snapshot');
    }
    const state = new CardState(value.cardId);
    state.count = value.count;
    state.meanLogAmount = value.meanLogAmount;
    state.m2LogAmount = value.m2LogAmount;
    state.lastTimestamp = value.lastTimestamp;
    state.recent = value.recent.map(([time, amount, id]) => [time, amount, id]);
    state.countries = new Map(Object.entries(value.countries));
    return state;
  }

  copy(): CardState {
    const state = new CardState(this.cardId);
    state.count = this.count;
    state.meanLogAmount = this.meanLogAmount;
    state.m2LogAmount = this.m2LogAmount;
    state.lastTimestamp = this.lastTimestamp;
    state.recent = this.recent.map(([time, amount, id]) => [time, amount, id]);
    state.countries = new Map(this.countries);
    return state;
  }

  snapshot(): CardStateSnapshot {
    return {
      format: 'gyre.card-state',
      formatVersion: 1,
      cardId: this.cardId,
      count: this.count,
      meanLogAmount: this.meanLogAmount,
      m2LogAmount: this.m2LogAmount,
      lastTimestamp: this.lastTimestamp,
      recent: this.recent.map(([time, amount, id]) => [time, amount, id] as const),
      countries: Object.fromEntries([...this.countries.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }

  get transactionCount(): number {
    return this.count;
  }

  get lastTransactionTime(): number | null {
    return this.lastTimestamp;
  }

  /** Whether this transaction was already recorded (a redelivery within the retained window). */
  hasRecorded(eventId: string): boolean {
    return this.recent.some(([, , id]) => id === eventId);
  }

  /**
   * Adds a transaction. A redelivered one is ignored (returns false), so recording is idempotent
   * within the retained window. One older than the last is added too (its window entry at its place):
   * the statistics are then exact only for transactions after it, which is what CardHistory allows for.
   */
  record(transaction: CardTransaction): boolean {
    if (transaction.cardId !== this.cardId) {
      throw new MlError(
        'INVALID_ARGUMENT',
        `transaction of card ${transaction.cardId} given to ${this.cardId}`,
      );
    }
    if (this.hasRecorded(transaction.eventId)) return false;
    this.count += 1;
    const logAmount = Math.log(transaction.amount);
    const delta = logAmount - this.meanLogAmount;
    this.meanLogAmount += delta / this.count;
    this.m2LogAmount += delta * (logAmount - this.meanLogAmount);
    this.lastTimestamp = Math.max(this.lastTimestamp ?? transaction.timestamp, transaction.timestamp);
    let at = this.recent.length;
    while (at > 0 && this.recent[at - 1][0] > transaction.timestamp) at -= 1;
    this.recent.splice(at, 0, [transaction.timestamp, transaction.amount, transaction.eventId]);
    const horizon = this.lastTimestamp - MAX_WINDOW_MS;
    while (this.recent.length > 0 && this.recent[0][0] < horizon) this.recent.shift();
    this.countries.set(transaction.country, (this.countries.get(transaction.country) ?? 0) + 1);
    return true;
  }

  /** Count and sum of recorded transactions in (time - windowMs, time]. */
  window(time: number, windowMs: number): { count: number; sum: number } {
    let count = 0;
    let sum = 0;
    for (let index = this.recent.length - 1; index >= 0; index -= 1) {
      const [at, amount] = this.recent[index];
      if (at <= time - windowMs) break;
      if (at <= time) {
        count += 1;
        sum += amount;
      }
    }
    return { count, sum };
  }

  /** Mean and sample standard deviation of the log amounts so far. */
  logAmountStats(): { mean: number; std: number } {
    const variance = this.count > 1 ? this.m2LogAmount / (this.count - 1) : 0;
    return { mean: this.meanLogAmount, std: Math.sqrt(variance) };
  }

  countryShare(country: string): number {
    return this.count === 0 ? 0 : (this.countries.get(country) ?? 0) / this.count;
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
