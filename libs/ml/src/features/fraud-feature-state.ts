import type { CardTransaction, TransactionOutcome } from '../synthetic/transaction';
import { CardHistory } from './card-history';
import { computeFeatureVector, FeatureDefinition, validateFeatureDefinition } from './feature-definition';
import { LabelRateTable } from './label-rate-table';

/** Smoothing of merchant and category fraud rates: a prior rate and its weight in pseudo-labels. */
export const RISK_PRIOR = 0.03;
export const RISK_STRENGTH = 20;

/** One event's features: what the prepare stage publishes and a training dataset stores. */
export interface FeatureRow {
  readonly eventId: string;
  readonly cardId: string;
  readonly timestamp: number;
  readonly values: number[];
}

/**
 * Computes features as a stream processor would: card states (per key, serializable) and label
 * rates (global, fed from the labels stream). Features of a transaction are computed from the state
 * before it is recorded, and label rates as of its event time, so they never see the future.
 */
export class FraudFeatureState {
  readonly merchantRates: LabelRateTable;
  readonly categoryRates: LabelRateTable;
  private readonly cards = new Map<string, CardHistory>();

  constructor(
    readonly definition: FeatureDefinition,
    rates?: { merchants: LabelRateTable; categories: LabelRateTable },
  ) {
    validateFeatureDefinition(definition);
    this.merchantRates = rates?.merchants ?? new LabelRateTable(RISK_PRIOR, RISK_STRENGTH);
    this.categoryRates = rates?.categories ?? new LabelRateTable(RISK_PRIOR, RISK_STRENGTH);
  }

  /** The card's state; a worker that took over a key passes the snapshot its predecessor persisted. */
  card(cardId: string): CardHistory {
    let state = this.cards.get(cardId);
    if (!state) {
      state = CardHistory.empty(cardId);
      this.cards.set(cardId, state);
    }
    return state;
  }

  restoreCard(snapshot: unknown): CardHistory {
    const state = CardHistory.restore(snapshot);
    this.cards.set(state.cardId, state);
    return state;
  }

  observeOutcome(outcome: TransactionOutcome): void {
    const fraud = outcome.label === 'fraud';
    this.merchantRates.observe(outcome.merchantId, fraud, outcome.reportedAt);
    this.categoryRates.observe(outcome.merchantCategory, fraud, outcome.reportedAt);
  }

  /** Features of the transaction from the past only (its card strictly before its time); changes no state. */
  features(transaction: CardTransaction): number[] {
    return computeFeatureVector(this.definition, {
      transaction,
      card: this.card(transaction.cardId).asOf(transaction.timestamp),
      merchantRisk: this.merchantRates.rateAsOf(transaction.merchantId, transaction.timestamp),
      categoryRisk: this.categoryRates.rateAsOf(transaction.merchantCategory, transaction.timestamp),
    });
  }

  /** Computes the transaction's features, then records it in its card's state. */
  process(transaction: CardTransaction): FeatureRow {
    const values = this.features(transaction);
    // In event-time order (the offline build sorts), so nothing needs keeping apart.
    this.card(transaction.cardId).record(transaction, 0);
    return {
      eventId: transaction.eventId,
      cardId: transaction.cardId,
      timestamp: transaction.timestamp,
      values,
    };
  }
}

/**
 * Offline replay: features of every transaction (in event-time order), with outcomes applied as
 * they become known. Used to build training sets and to rebuild features for a new definition.
 */
export function buildFeatureRows(
  definition: FeatureDefinition,
  transactions: readonly CardTransaction[],
  outcomes: readonly TransactionOutcome[],
): FeatureRow[] {
  const state = new FraudFeatureState(definition);
  const byTime = [...transactions].sort((a, b) => a.timestamp - b.timestamp);
  const known = [...outcomes].sort((a, b) => a.reportedAt - b.reportedAt);
  let next = 0;
  return byTime.map((transaction) => {
    while (next < known.length && known[next].reportedAt < transaction.timestamp) {
      state.observeOutcome(known[next]);
      next += 1;
    }
    return state.process(transaction);
  });
}
