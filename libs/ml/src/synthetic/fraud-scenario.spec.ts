import { generateFraudScenario } from './fraud-scenario';

describe(generateFraudScenario.name, () => {
  const scenario = generateFraudScenario({ seed: 'spec', transactionCount: 5_000 });
  const fraud = new Set(scenario.outcomes.filter((o) => o.label === 'fraud').map((o) => o.eventId));

  it('generates the same scenario for the same seed and another for another seed', () => {
    const again = generateFraudScenario({ seed: 'spec', transactionCount: 5_000 });
    const other = generateFraudScenario({ seed: 'other', transactionCount: 5_000 });

    expect(JSON.stringify(again)).toBe(JSON.stringify(scenario));
    expect(other.transactions[0]).not.toEqual(scenario.transactions[0]);
  });

  it('emits the requested number of transactions in event-time order with unique event ids', () => {
    const { transactions } = scenario;

    expect(transactions).toHaveLength(5_000);
    expect(new Set(transactions.map((t) => t.eventId)).size).toBe(5_000);
    for (let i = 1; i < transactions.length; i += 1) {
      expect(transactions[i].timestamp).toBeGreaterThanOrEqual(transactions[i - 1].timestamp);
    }
    expect(transactions[0]).toEqual({
      eventId: expect.stringMatching(/^tx-[0-9a-f]{8}-0000000$/),
      cardId: expect.stringMatching(/^c-\d{5}$/),
      merchantId: expect.stringMatching(/^m-\d{4}$/),
      merchantCategory: expect.any(String),
      amount: expect.any(Number),
      country: expect.stringMatching(/^[A-Z]{2}$/),
      timestamp: expect.any(Number),
    });
  });

  it('labels a few percent of transactions as fraud', () => {
    expect(fraud.size / 5_000).toBeGreaterThan(0.02);
    expect(fraud.size / 5_000).toBeLessThan(0.05);
  });

  it('gives every transaction one outcome, known after it happened, in the order outcomes become known', () => {
    const { transactions, outcomes } = scenario;
    const byId = new Map(transactions.map((t) => [t.eventId, t]));

    expect(outcomes).toHaveLength(transactions.length);
    expect(new Set(outcomes.map((o) => o.eventId)).size).toBe(transactions.length);
    for (const outcome of outcomes) {
      expect(outcome.reportedAt).toBeGreaterThan(byId.get(outcome.eventId)!.timestamp);
    }
    for (let i = 1; i < outcomes.length; i += 1) {
      expect(outcomes[i].reportedAt).toBeGreaterThanOrEqual(outcomes[i - 1].reportedAt);
    }
  });

  it('reports fraud sooner than legit transactions settle, with a spread of delays', () => {
    const hours = (source: string) =>
      scenario.outcomes
        .filter((o) => o.source === source)
        .map((o) => (o.reportedAt - o.transactionTime) / 3_600_000)
        .sort((a, b) => a - b);
    const reports = hours('cardholder-report');
    const chargebacks = hours('chargeback');
    const settled = hours('settled');

    expect(reports[Math.floor(reports.length / 2)]).toBeLessThan(24);
    expect(chargebacks[Math.floor(chargebacks.length / 2)]).toBeGreaterThan(48);
    expect(settled[0]).toBeGreaterThanOrEqual(72);
    expect(chargebacks[chargebacks.length - 1] / chargebacks[0]).toBeGreaterThan(5);
  });

  it('hides a learnable pattern: fraud is more frequent abroad and at fraud-prone merchants', () => {
    const rate = (keep: (t: (typeof scenario.transactions)[number]) => boolean) => {
      const selected = scenario.transactions.filter(keep);
      return selected.filter((t) => fraud.has(t.eventId)).length / selected.length;
    };
    const home = new Map<string, string>();
    for (const t of scenario.transactions)
      if (!fraud.has(t.eventId) && !home.has(t.cardId)) home.set(t.cardId, t.country);

    expect(rate((t) => t.merchantCategory === 'gift-cards')).toBeGreaterThan(
      5 * rate((t) => t.merchantCategory === 'grocery'),
    );
    expect(rate((t) => t.country !== home.get(t.cardId))).toBeGreaterThan(
      5 * rate((t) => t.country === home.get(t.cardId)),
    );
  });

  it('rejects a non-positive transaction count and an implausible fraud rate', () => {
    expect(() => generateFraudScenario({ seed: 1, transactionCount: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => generateFraudScenario({ seed: 1, transactionCount: 10, fraudRate: 0.9 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
