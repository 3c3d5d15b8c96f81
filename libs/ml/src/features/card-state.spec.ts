import type { CardTransaction } from '../synthetic/transaction';
import { CardState } from './card-state';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1);

function tx(id: string, minutes: number, amount: number, country = 'DE'): CardTransaction {
  return {
    eventId: id,
    cardId: 'c-1',
    merchantId: 'm-1',
    merchantCategory: 'grocery',
    amount,
    country,
    timestamp: T0 + minutes * MINUTE,
  };
}

describe(CardState.name, () => {
  it('counts and sums the recorded transactions inside each window, up to the given time', () => {
    const state = new CardState('c-1');
    state.record(tx('a', 0, 10));
    state.record(tx('b', 55, 20));
    state.record(tx('c', 58, 30));

    expect(state.window(T0 + 60 * MINUTE, 10 * MINUTE)).toEqual({ count: 2, sum: 50 });
    expect(state.window(T0 + 60 * MINUTE, 60 * MINUTE)).toEqual({ count: 2, sum: 50 });
    expect(state.window(T0 + 59 * MINUTE, 60 * MINUTE)).toEqual({ count: 3, sum: 60 });
    expect(state.window(T0 + 56 * MINUTE, 24 * 60 * MINUTE)).toEqual({ count: 2, sum: 30 });
  });

  it('keeps the running mean and standard deviation of log amounts (Welford)', () => {
    const state = new CardState('c-1');
    [10, 20, 40].forEach((amount, i) => state.record(tx(`t${i}`, i, amount)));
    const logs = [10, 20, 40].map(Math.log);
    const mean = logs.reduce((a, b) => a + b) / 3;
    const std = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);

    expect(state.logAmountStats().mean).toBeCloseTo(mean, 12);
    expect(state.logAmountStats().std).toBeCloseTo(std, 12);
    expect(state.transactionCount).toBe(3);
  });

  it('forgets window entries older than 24 hours but keeps the running statistics', () => {
    const state = new CardState('c-1');
    state.record(tx('old', 0, 10));
    state.record(tx('new', 25 * 60, 10));

    expect(state.snapshot().recent).toEqual([[T0 + 25 * 60 * MINUTE, 10, 'new']]);
    expect(state.transactionCount).toBe(2);
  });

  it('ignores a transaction it has already recorded, so a redelivery does not count twice', () => {
    const state = new CardState('c-1');

    expect(state.record(tx('a', 0, 10))).toBe(true);
    expect(state.record(tx('a', 0, 10))).toBe(false);
    expect(state.transactionCount).toBe(1);
  });

  it('adds a transaction older than the last one at its place in the windows', () => {
    const state = new CardState('c-1');
    state.record(tx('a', 10, 10));
    state.record(tx('b', 5, 20));

    expect(state.snapshot().recent).toEqual([
      [T0 + 5 * MINUTE, 20, 'b'],
      [T0 + 10 * MINUTE, 10, 'a'],
    ]);
    expect(state.lastTransactionTime).toBe(T0 + 10 * MINUTE);
    expect(state.window(T0 + 6 * MINUTE, 10 * MINUTE)).toEqual({ count: 1, sum: 20 });
  });

  it('restores from its JSON snapshot to a state that behaves identically', () => {
    const state = new CardState('c-1');
    state.record(tx('a', 0, 10, 'DE'));
    state.record(tx('b', 3, 99, 'BR'));

    const restored = CardState.restore(JSON.parse(JSON.stringify(state.snapshot())));
    restored.record(tx('c', 4, 5, 'DE'));
    state.record(tx('c', 4, 5, 'DE'));

    expect(restored.snapshot()).toEqual(state.snapshot());
    expect(restored.countryShare('DE')).toBeCloseTo(2 / 3, 12);
  });

  it('rejects a snapshot of another format as INVALID_FEATURE_STATE', () => {
    expect(() => CardState.restore({ format: 'gyre.card-state', formatVersion: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_FEATURE_STATE' }),
    );
    expect(() => CardState.restore(null)).toThrow(expect.objectContaining({ code: 'INVALID_FEATURE_STATE' }));
  });
});
