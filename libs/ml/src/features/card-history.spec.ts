import { Random } from '../random/random';
import type { CardTransaction } from '../synthetic/transaction';
import { CardHistory } from './card-history';
import { CardState } from './card-state';
import { computeFeatureVector, FRAUD_FEATURES_V1 } from './feature-definition';

const SECOND = 1_000;
const T0 = Date.UTC(2025, 0, 1);
const NO_RISK = { rate: 0.03, labels: 0 };

function tx(id: string, seconds: number, amount: number, country = 'DE'): CardTransaction {
  return {
    eventId: id,
    cardId: 'c-1',
    merchantId: 'm-1',
    merchantCategory: 'grocery',
    amount,
    country,
    timestamp: T0 + seconds * SECOND,
  };
}

/** Each transaction's features as the prepare stage computes them: as of its time, then recorded. */
function featuresInArrivalOrder(arrivals: readonly CardTransaction[], allowedLatenessMs: number) {
  const history = CardHistory.empty('c-1');
  const features = new Map<string, number[]>();
  for (const transaction of arrivals) {
    const card = history.asOf(transaction.timestamp);
    features.set(
      transaction.eventId,
      computeFeatureVector(FRAUD_FEATURES_V1, {
        transaction,
        card,
        merchantRisk: NO_RISK,
        categoryRisk: NO_RISK,
      }),
    );
    history.record(transaction, allowedLatenessMs);
  }
  return { history, features };
}

describe(CardHistory.name, () => {
  const inOrder = [
    tx('a', 0, 10),
    tx('b', 1, 25, 'FR'),
    tx('c', 2, 7),
    tx('d', 3, 400, 'BR'),
    tx('e', 4, 12),
  ];

  it('gives a transaction out of order within the allowed lateness the features it has in order, to the bit', () => {
    const shuffled = [inOrder[0], inOrder[2], inOrder[3], inOrder[1], inOrder[4]];

    const expected = featuresInArrivalOrder(inOrder, 5 * SECOND);
    const actual = featuresInArrivalOrder(shuffled, 5 * SECOND);

    // b came after c and d, yet reads only a; e, after all of them, reads the same card as in order.
    expect(actual.features.get('b')).toEqual(expected.features.get('b'));
    expect(actual.features.get('e')).toEqual(expected.features.get('e'));
    expect(actual.history.snapshot()).toEqual(expected.history.snapshot());
  });

  it('reads only transactions strictly before the time, so equal times do not depend on arrival order', () => {
    const history = CardHistory.empty('c-1');
    history.record(tx('x', 1, 10), 0);
    history.record(tx('y', 1, 20), 0);

    expect(history.asOf(T0 + SECOND).transactionCount).toBe(0);
    expect(history.asOf(T0 + SECOND + 1).transactionCount).toBe(2);
  });

  it('folds transactions older than the allowed lateness into the statistics, in event-time order', () => {
    const history = CardHistory.empty('c-1');
    history.record(tx('a', 0, 10), 2 * SECOND);
    history.record(tx('c', 2, 30), 2 * SECOND);
    history.record(tx('b', 1, 20), 2 * SECOND);
    history.record(tx('d', 3, 40), 2 * SECOND);

    const snapshot = history.snapshot();
    expect(snapshot.count).toBe(1);
    expect(snapshot.pending.map(([, , id]) => id)).toEqual(['b', 'c', 'd']);
  });

  it('measures how far a transaction is behind the card’s latest', () => {
    const history = CardHistory.empty('c-1');
    expect(history.lateness(T0)).toBe(0);
    history.record(tx('a', 10, 10), 0);

    expect(history.lateness(T0 + 4 * SECOND)).toBe(6 * SECOND);
    expect(history.lateness(T0 + 11 * SECOND)).toBe(0);
  });

  it('records a transaction later than the allowed lateness too, so later transactions count it', () => {
    const history = CardHistory.empty('c-1');
    history.record(tx('a', 0, 10), 0);
    history.record(tx('c', 20, 10), 0);
    history.record(tx('d', 30, 10), 0);

    expect(history.record(tx('b', 10, 10), 0)).toBe(true);
    expect(history.asOf(T0 + 31 * SECOND).window(T0 + 31 * SECOND, 60 * SECOND).count).toBe(4);
    expect(history.record(tx('b', 10, 10), 0)).toBe(false);
  });

  it('restores from its JSON snapshot to a history that behaves identically', () => {
    const history = CardHistory.empty('c-1');
    history.record(tx('a', 0, 10), 5 * SECOND);
    history.record(tx('c', 2, 99, 'BR'), 5 * SECOND);

    const restored = CardHistory.restore(JSON.parse(JSON.stringify(history.snapshot())));
    restored.record(tx('b', 1, 5), 5 * SECOND);
    history.record(tx('b', 1, 5), 5 * SECOND);

    expect(restored.snapshot()).toEqual(history.snapshot());
    expect(restored.snapshot().formatVersion).toBe(2);
  });

  it('restores a version 1 snapshot as its statistics, with nothing kept apart', () => {
    const v1 = new CardState('c-1');
    v1.record(tx('a', 0, 10));
    v1.record(tx('b', 1, 20));

    const restored = CardHistory.restore(JSON.parse(JSON.stringify(v1.snapshot())));

    expect(restored.snapshot()).toEqual({ ...v1.snapshot(), formatVersion: 2, pending: [] });
    expect(restored.hasRecorded('b')).toBe(true);
    expect(restored.asOf(T0 + 2 * SECOND).transactionCount).toBe(2);
  });

  it('rejects a snapshot of another format as INVALID_FEATURE_STATE', () => {
    const invalid = expect.objectContaining({ code: 'INVALID_FEATURE_STATE' });
    expect(() => CardHistory.restore({ format: 'gyre.card-state', formatVersion: 3 })).toThrow(invalid);
    expect(() => CardHistory.restore({ ...CardHistory.empty('c').snapshot(), pending: [[1, 2]] })).toThrow(
      invalid,
    );
    expect(() => CardHistory.restore(null)).toThrow(invalid);
  });

  it('matches in-order features for every transaction that arrives after all its card’s earlier ones', () => {
    const random = new Random('card-history');
    const ordered = Array.from({ length: 200 }, (_, i) =>
      tx(`t${i}`, i * 0.5 + random.int(400) / 1000, random.logNormal(40, 1), random.pick(['DE', 'FR', 'BR'])),
    );
    // Neighbours swapped at random: the disorder of requests in flight together (at most ~1 s here).
    const arrivals = [...ordered];
    for (let i = 1; i < arrivals.length; i += 1)
      if (random.chance(0.3)) [arrivals[i - 1], arrivals[i]] = [arrivals[i], arrivals[i - 1]];

    const expected = featuresInArrivalOrder(ordered, 2 * SECOND).features;
    const actual = featuresInArrivalOrder(arrivals, 2 * SECOND).features;

    // Those scored before an earlier transaction arrived could not know it; every other one is exact.
    const scoredEarly = new Set(
      arrivals.filter((t, i) => arrivals.slice(i + 1).some((later) => later.timestamp < t.timestamp)),
    );
    const exact = arrivals.filter((t) => !scoredEarly.has(t));
    expect(scoredEarly.size).toBeGreaterThan(20);
    expect(exact.map((t) => actual.get(t.eventId))).toEqual(exact.map((t) => expected.get(t.eventId)));
  });
});
