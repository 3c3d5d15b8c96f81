import { generateFraudScenario } from '../synthetic/fraud-scenario';
import type { CardTransaction, TransactionOutcome } from '../synthetic/transaction';
import { FeatureDefinition, FRAUD_FEATURES_V1 } from './feature-definition';
import {
  buildFeatureRows,
  FeatureRow,
  FraudFeatureState,
  RISK_PRIOR,
  RISK_STRENGTH,
} from './fraud-feature-state';
import { LabelRateTable } from './label-rate-table';

describe(FraudFeatureState.name, () => {
  const { transactions, outcomes } = generateFraudScenario({ seed: 'features', transactionCount: 4_000 });
  const rows = buildFeatureRows(FRAUD_FEATURES_V1, transactions, outcomes);
  const cutoff = transactions[2_000].timestamp;

  it('computes one row per transaction, in the definition order, with finite values', () => {
    expect(rows).toHaveLength(transactions.length);
    expect(rows[0]).toEqual({
      eventId: transactions[0].eventId,
      cardId: transactions[0].cardId,
      timestamp: transactions[0].timestamp,
      values: expect.any(Array),
    });
    expect(rows.every((row) => row.values.length === FRAUD_FEATURES_V1.features.length)).toBe(true);
    expect(rows.every((row) => row.values.every(Number.isFinite))).toBe(true);
  });

  it('is point-in-time correct: rewriting everything after an event time leaves earlier features unchanged', () => {
    const futureTransactions: CardTransaction[] = transactions.map((t) =>
      t.timestamp > cutoff ? { ...t, amount: t.amount * 100, country: 'ZZ' } : t,
    );
    const futureOutcomes: TransactionOutcome[] = outcomes.map((o) =>
      o.reportedAt >= cutoff ? { ...o, label: o.label === 'fraud' ? 'legit' : 'fraud' } : o,
    );

    const rewritten = buildFeatureRows(FRAUD_FEATURES_V1, futureTransactions, futureOutcomes);

    const past = (list: typeof rows) => list.filter((row) => row.timestamp <= cutoff);
    expect(past(rewritten)).toEqual(past(rows));
    expect(rewritten).not.toEqual(rows);
  });

  it('is point-in-time correct: an event computed from data up to its own time only gets the same features', () => {
    for (const index of [17, 999, 2_500, 3_999]) {
      const event = transactions[index];
      const upTo = buildFeatureRows(
        FRAUD_FEATURES_V1,
        transactions.filter((t) => t.timestamp <= event.timestamp),
        outcomes.filter((o) => o.reportedAt <= event.timestamp),
      );

      expect(upTo.find((row) => row.eventId === event.eventId)).toEqual(rows[index]);
    }
  });

  it('uses merchant labels only once they are known, never the event’s own label', () => {
    const state = new FraudFeatureState(FRAUD_FEATURES_V1);
    const event = transactions[3_000];
    const riskIndex = FRAUD_FEATURES_V1.features.indexOf('merchant_risk_log_odds');
    const before = state.features(event)[riskIndex];

    state.observeOutcome({
      ...outcomes[0],
      merchantId: event.merchantId,
      label: 'fraud',
      reportedAt: event.timestamp,
    });
    expect(state.features(event)[riskIndex]).toBe(before);

    state.observeOutcome({
      ...outcomes[0],
      merchantId: event.merchantId,
      label: 'fraud',
      reportedAt: event.timestamp - 1,
    });
    expect(state.features(event)[riskIndex]).toBeGreaterThan(before);
  });

  it('lets another worker take over from persisted snapshots and compute the same features', () => {
    const split = 2_000;
    const first = new FraudFeatureState(FRAUD_FEATURES_V1);
    const applyKnown = (state: FraudFeatureState, from: number, until: number) =>
      outcomes
        .filter((o) => o.reportedAt >= from && o.reportedAt < until)
        .forEach((o) => state.observeOutcome(o));
    const produced: FeatureRow[] = [];
    let known = -Infinity;
    const run = (state: FraudFeatureState, slice: CardTransaction[]) => {
      for (const transaction of slice) {
        applyKnown(state, known, transaction.timestamp);
        known = transaction.timestamp;
        produced.push(state.process(transaction));
      }
    };
    run(first, transactions.slice(0, split));

    const persisted = JSON.parse(
      JSON.stringify({
        cards: [...new Set(transactions.slice(0, split).map((t) => t.cardId))].map((id) =>
          first.card(id).snapshot(),
        ),
        merchants: first.merchantRates.snapshot(),
        categories: first.categoryRates.snapshot(),
      }),
    ) as { cards: unknown[]; merchants: unknown; categories: unknown };
    const second = new FraudFeatureState(FRAUD_FEATURES_V1, {
      merchants: LabelRateTable.restore(persisted.merchants, RISK_PRIOR, RISK_STRENGTH),
      categories: LabelRateTable.restore(persisted.categories, RISK_PRIOR, RISK_STRENGTH),
    });
    persisted.cards.forEach((snapshot) => second.restoreCard(snapshot));
    run(second, transactions.slice(split));

    expect(produced).toEqual(rows);
  });

  it('computes another definition version: its own features, in its own order', () => {
    const v2: FeatureDefinition = {
      id: 'fraud.card-features',
      version: 2,
      features: ['count_1h', 'log_amount'],
    };
    const rebuilt = buildFeatureRows(v2, transactions, outcomes);
    const [count, amount] = v2.features.map((name) => FRAUD_FEATURES_V1.features.indexOf(name));

    expect(rebuilt[123].values).toEqual([rows[123].values[count], rows[123].values[amount]]);
  });

  it('rejects a definition naming an unknown feature as UNKNOWN_FEATURE', () => {
    const bad = {
      id: 'fraud',
      version: 1,
      features: ['log_amount', 'zodiac_sign'],
    } as unknown as FeatureDefinition;

    expect(() => new FraudFeatureState(bad)).toThrow(expect.objectContaining({ code: 'UNKNOWN_FEATURE' }));
  });
});
