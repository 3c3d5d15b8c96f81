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

  it('adds card testing from the attack epoch: runs of three or more home payments minutes apart, over many merchants', () => {
    const MINUTE = 60_000;
    // Fraud events in a run of at least three on one card, each within 20 minutes of the one before.
    const inFastRuns = (rows: CardTransaction[]) => {
      const byCard = new Map<string, CardTransaction[]>();
      for (const t of rows) byCard.set(t.cardId, [...(byCard.get(t.cardId) ?? []), t]);
      let count = 0;
      for (const payments of byCard.values()) {
        payments.sort((a, b) => a.timestamp - b.timestamp);
        let run = 1;
        for (let i = 1; i <= payments.length; i += 1) {
          const close =
            i < payments.length && payments[i].timestamp - payments[i - 1].timestamp <= 20 * MINUTE;
          if (close) run += 1;
          else {
            if (run >= 3) count += run;
            run = 1;
          }
        }
      }
      return count / rows.length;
    };
    const attacked = fraudOf(sudden[3]);
    const baseline = fraudOf(none[3]);

    expect(inFastRuns(attacked)).toBeGreaterThan(0.5);
    expect(inFastRuns(attacked)).toBeGreaterThan(inFastRuns(baseline) + 0.2);
    // A card's home is where most of its payments are; the attack stays there, old fraud mostly does not.
    const home = new Map<string, string>();
    const tally = new Map<string, number>();
    for (const t of sudden[3].transactions)
      tally.set(`${t.cardId}|${t.country}`, (tally.get(`${t.cardId}|${t.country}`) ?? 0) + 1);
    for (const [key, count] of tally) {
      const [card, country] = key.split('|');
      const current = home.get(card);
      if (current === undefined || count > tally.get(`${card}|${current}`)!) home.set(card, country);
    }
    expect(share(attacked, (t) => t.country === home.get(t.cardId))).toBeGreaterThan(0.7);
    expect(new Set(attacked.map((t) => t.merchantId)).size).toBeGreaterThan(60);
  });
});
