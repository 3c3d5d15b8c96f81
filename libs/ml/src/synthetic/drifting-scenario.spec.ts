import { generateDriftingScenario } from './drifting-scenario';
import type { CardTransaction } from './transaction';

const DAY = 24 * 3_600_000;

describe(generateDriftingScenario.name, () => {
  const options = { seed: 'drift-spec', epochs: 4, eventsPerEpoch: 3_000, attackEpoch: 3 } as const;
  const sudden = generateDriftingScenario({ ...options, drift: 'sudden' });
  const none = generateDriftingScenario({ ...options, drift: 'none' });

  const fraudOf = (epoch: (typeof sudden)[number]) => {
    const fraud = new Set(epoch.outcomes.filter((o) => o.label === 'fraud').map((o) => o.eventId));
    return epoch.transactions.filter((t) => fraud.has(t.eventId));
  };
  const share = (rows: CardTransaction[], keep: (t: CardTransaction) => boolean) =>
    rows.filter(keep).length / rows.length;
  const risky = new Set(['electronics', 'jewelry', 'gift-cards']);

  it('is deterministic and keeps each epoch in its own week with unique, consecutive event ids', () => {
    expect(JSON.stringify(generateDriftingScenario({ ...options, drift: 'sudden' }))).toBe(
      JSON.stringify(sudden),
    );
    sudden.forEach((epoch, index) => {
      const start = Date.UTC(2025, 0, 1) + index * 7 * DAY;
      expect(epoch.transactions).toHaveLength(3_000);
      expect(epoch.outcomes).toHaveLength(3_000);
      expect(epoch.transactions[0].eventId).toMatch(
        new RegExp(`-${String(index * 3_000).padStart(7, '0')}$`),
      );
      const times = epoch.transactions.map((t) => t.timestamp);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(start);
      expect(Math.max(...times)).toBeLessThan(start + 7 * DAY);
    });
  });

  it('takes the outcome delays it is given, and keeps the transactions', () => {
    const HOUR = 3_600_000;
    const fast = generateDriftingScenario({
      ...options,
      epochs: 1,
      drift: 'none',
      outcomeDelays: {
        cardholderReportShare: 1,
        cardholderReportMedianMs: HOUR,
        chargebackMedianMs: DAY,
        settlementMs: HOUR,
      },
    });
    const [baseline] = generateDriftingScenario({ ...options, epochs: 1, drift: 'none' });

    expect(JSON.stringify(fast[0].transactions)).toBe(JSON.stringify(baseline.transactions));
    const legitDelays = fast[0].outcomes
      .filter((o) => o.source === 'settled')
      .map((o) => o.reportedAt - o.transactionTime);
    // Settlement (1 h) plus up to a day of jitter, against 3 to 4 days by default.
    expect(Math.max(...legitDelays)).toBeLessThanOrEqual(HOUR + DAY);
  });

  it('plays the same first epoch whatever the drift', () => {
    expect(JSON.stringify(sudden[0])).toBe(JSON.stringify(none[0]));
  });

  it('moves fraud away from the risky categories, to smaller amounts and home, from the attack epoch', () => {
    const before = fraudOf(sudden[1]);
    const after = fraudOf(sudden[2]);
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

    expect(share(after, (t) => risky.has(t.merchantCategory))).toBeLessThan(
      share(before, (t) => risky.has(t.merchantCategory)) / 2,
    );
    expect(median(after.map((t) => t.amount))).toBeLessThan(median(before.map((t) => t.amount)) / 2);
    expect(share(fraudOf(none[2]), (t) => risky.has(t.merchantCategory))).toBeGreaterThan(
      share(after, (t) => risky.has(t.merchantCategory)) * 2,
    );
  });

  it('concentrates the new attack on a few merchants', () => {
    const merchants = (rows: CardTransaction[]) => {
      const counts = new Map<string, number>();
      for (const t of rows) counts.set(t.merchantId, (counts.get(t.merchantId) ?? 0) + 1);
      return [...counts.values()].sort((a, b) => b - a);
    };
    const top12 = (rows: CardTransaction[]) =>
      merchants(rows)
        .slice(0, 12)
        .reduce((sum, count) => sum + count, 0) / rows.length;

    expect(top12(fraudOf(sudden[3]))).toBeGreaterThan(0.5);
    expect(top12(fraudOf(none[3]))).toBeLessThan(0.5);
  });
});
