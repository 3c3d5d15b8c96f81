import { CardHistorySnapshot, FRAUD_FEATURES_V1, FRAUD_FEATURES_V2 } from '@gyre/ml';
import type { TransactionPayload } from './loop-contracts';
import { CardFeatureStore, PrepareHandler, RecordedFeatures } from './prepare.handler';
import { loopContext, loopEvent } from './spec-fixtures';

const MINUTE = 60_000;

function transaction(n: number, overrides: Partial<TransactionPayload> = {}): TransactionPayload {
  return {
    eventId: `tx-${n}`,
    cardId: 'card-1',
    merchantId: 'm-1',
    merchantCategory: 'grocery',
    amount: 20 + n,
    country: 'FR',
    timestamp: n * MINUTE,
    ...overrides,
  };
}

/** Transactions a card's snapshot holds: folded into its statistics or kept apart (CardHistory). */
function recordedCount(snapshot: unknown): number {
  const { count, pending } = snapshot as CardHistorySnapshot;
  return count + pending.length;
}

/** The store as plain maps: one snapshot per (scope, card), one recorded row per (scope, event id). */
function memoryStore(
  epoch = 1,
  labels: Array<{ merchantId: string; fraud: 0 | 1; knownAt: number }> = [],
): CardFeatureStore & { snapshots: Map<string, unknown> } {
  const snapshots = new Map<string, unknown>();
  const rows = new Map<string, RecordedFeatures>();
  const labelCounts = (merchantId: string, asOf: number) => {
    const known = labels.filter((l) => l.merchantId === merchantId && l.knownAt < asOf);
    const counts = { labels: known.length, fraud: known.filter((l) => l.fraud === 1).length };
    return { merchant: counts, category: { labels: 0, fraud: 0 } };
  };
  return {
    snapshots,
    currentEpoch: () => Promise.resolve(epoch),
    labelCounts: (_pipeline, merchantId, _category, asOf) => Promise.resolve(labelCounts(merchantId, asOf)),
    labelCountsMany: (_pipeline, queries) =>
      Promise.resolve(queries.map((q) => labelCounts(q.merchantId, q.asOf))),
    recordBatch: (scope, transactions, step) => {
      // Staged on copies and kept only if every step returns: all or nothing, like the transaction.
      const stagedSnapshots = new Map(snapshots);
      const stagedRows = new Map(rows);
      try {
        const results = transactions.map((tx, position) => {
          const existing = stagedRows.get(`${scope}/${tx.eventId}`);
          if (existing) return existing;
          const outcome = step(tx, stagedSnapshots.get(`${scope}/${tx.cardId}`), position);
          if (outcome instanceof Error) return outcome;
          stagedRows.set(`${scope}/${tx.eventId}`, outcome.row);
          stagedSnapshots.set(`${scope}/${tx.cardId}`, outcome.snapshot);
          return outcome.row;
        });
        for (const [key, value] of stagedSnapshots) snapshots.set(key, value);
        for (const [key, value] of stagedRows) rows.set(key, value);
        return Promise.resolve(results);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    recordOnce: (scope, tx, compute) => {
      const existing = rows.get(`${scope}/${tx.eventId}`);
      if (existing) return Promise.resolve(existing);
      try {
        const { row, snapshot } = compute(snapshots.get(`${scope}/${tx.cardId}`));
        rows.set(`${scope}/${tx.eventId}`, row);
        snapshots.set(`${scope}/${tx.cardId}`, snapshot);
        return Promise.resolve(row);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

describe(PrepareHandler.name, () => {
  it('emits the features of a transaction from its card’s past, keyed by card and tagged with the open epoch', async () => {
    const handler = new PrepareHandler(memoryStore(3));

    const [output] = await handler.handle(loopEvent(transaction(1)), loopContext({ output: 'features-x' }));

    expect(output).toMatchObject({ stream: 'features-x', key: 'card-1', epoch: '3' });
    expect(output.payload).toMatchObject({
      eventId: 'tx-1',
      epoch: 3,
      featureDefinition: 'fraud.card-features@1',
    });
    expect(output.payload.values).toHaveLength(FRAUD_FEATURES_V1.features.length);
  });

  it('counts the card’s earlier transactions in the windows of a later one', async () => {
    const handler = new PrepareHandler(memoryStore());
    const count1h = FRAUD_FEATURES_V1.features.indexOf('count_1h');

    await handler.handle(loopEvent(transaction(1)), loopContext());
    await handler.handle(loopEvent(transaction(2)), loopContext());
    const [third] = await handler.handle(loopEvent(transaction(3)), loopContext());

    expect(third.payload.values[count1h]).toBe(2);
  });

  it('does not count a redelivered transaction twice and re-emits the same features', async () => {
    const store = memoryStore();
    const handler = new PrepareHandler(store);
    const first = await handler.handle(loopEvent(transaction(1)), loopContext());
    const again = await handler.handle(loopEvent(transaction(1)), loopContext());

    expect(again).toEqual(first);
    expect(recordedCount(store.snapshots.get('loop/card-1'))).toBe(1);
  });

  it('computes the definition version its featureDefinition parameter names, in that version’s order', async () => {
    const handler = new PrepareHandler(memoryStore());

    const [output] = await handler.handle(
      loopEvent(transaction(1)),
      loopContext({ featureDefinition: 'fraud.card-features@2' }),
    );

    expect(output.payload.featureDefinition).toBe('fraud.card-features@2');
    expect(output.payload.values).toHaveLength(FRAUD_FEATURES_V2.features.length);
  });

  it('refuses an unknown feature definition without retrying', async () => {
    const handler = new PrepareHandler(memoryStore());

    await expect(
      handler.handle(loopEvent(transaction(1)), loopContext({ featureDefinition: 'fraud.card-features@99' })),
    ).rejects.toMatchObject({ code: 'UNKNOWN_FEATURE_DEFINITION', retriable: false });
  });

  it('keeps a rebuild’s card state apart from the live one when given a stateScope', async () => {
    const store = memoryStore();
    const handler = new PrepareHandler(store);
    await handler.handle(loopEvent(transaction(1)), loopContext());
    await handler.handle(loopEvent(transaction(2)), loopContext());

    await handler.handle(loopEvent(transaction(1)), loopContext({ stateScope: 'rebuild-1' }));

    expect(recordedCount(store.snapshots.get('loop/card-1'))).toBe(2);
    expect(recordedCount(store.snapshots.get('rebuild-1/card-1'))).toBe(1);
  });

  it('reads merchant risk from labels known before the transaction, not from a label reported after it', async () => {
    const risk = FRAUD_FEATURES_V1.features.indexOf('merchant_risk_log_odds');
    const late = [{ merchantId: 'm-1', fraud: 1 as const, knownAt: 10 * MINUTE }];
    const withLate = new PrepareHandler(memoryStore(1, late));
    const without = new PrepareHandler(memoryStore(1, []));

    const [early] = await withLate.handle(loopEvent(transaction(5)), loopContext());
    const [reference] = await without.handle(loopEvent(transaction(5)), loopContext());
    const [after] = await withLate.handle(loopEvent(transaction(11)), loopContext());

    expect(early.payload.values).toEqual(reference.payload.values);
    expect(after.payload.values[risk]).toBeGreaterThan(early.payload.values[risk]);
  });

  it('gives a transaction out of order within the allowed lateness the features it has in order', async () => {
    const late: number[] = [];
    const context = {
      ...loopContext(),
      allowedLatenessMs: 5 * MINUTE,
      observeLateEvent: (ms: number) => late.push(ms),
    };
    const featuresInArrivalOrder = async (arrivals: number[]) => {
      const handler = new PrepareHandler(memoryStore());
      const features = new Map<number, unknown>();
      for (const n of arrivals)
        features.set(n, (await handler.handle(loopEvent(transaction(n)), context))[0]);
      return features;
    };

    const inOrder = await featuresInArrivalOrder([1, 2, 3, 4, 5]);
    const outOfOrder = await featuresInArrivalOrder([1, 3, 2, 5, 4]);

    // 2 and 4 came behind 3 and 5 (scored before them, without them): each gets its in-order features.
    expect([1, 2, 4].map((n) => outOfOrder.get(n))).toEqual([1, 2, 4].map((n) => inOrder.get(n)));
    expect(outOfOrder.get(3)).not.toEqual(inOrder.get(3));
    expect(late).toEqual([]);
  });

  it('scores a transaction later than the allowed lateness, flags it and counts it once', async () => {
    const late: number[] = [];
    const context = {
      ...loopContext(),
      allowedLatenessMs: MINUTE,
      observeLateEvent: (ms: number) => late.push(ms),
    };
    const handler = new PrepareHandler(memoryStore());
    await handler.handle(loopEvent(transaction(5)), context);

    const [output] = await handler.handle(loopEvent(transaction(2)), context);
    const [again] = await handler.handle(loopEvent(transaction(2)), context);

    expect(output.payload).toMatchObject({ eventId: 'tx-2', lateByMs: 3 * MINUTE });
    expect(output.payload.values).toHaveLength(FRAUD_FEATURES_V1.features.length);
    expect(again).toEqual(output);
    expect(late).toEqual([3 * MINUTE]);
  });

  it('refuses a payload that is not a transaction without retrying', async () => {
    const handler = new PrepareHandler(memoryStore());

    await expect(handler.handle(loopEvent({ amount: 'x' } as never), loopContext())).rejects.toMatchObject({
      code: 'INVALID_TRANSACTION',
      retriable: false,
    });
  });

  describe('handleBatch', () => {
    const mixed = [
      transaction(1),
      transaction(2, { cardId: 'card-2' }),
      transaction(3),
      transaction(4, { cardId: 'card-2' }),
      transaction(5),
    ];

    it('emits, in order, the features the events give one by one, a card’s events seeing each other', async () => {
      const oneByOne = new PrepareHandler(memoryStore());
      const expected = [];
      for (const tx of mixed) expected.push(await oneByOne.handle(loopEvent(tx), loopContext()));

      const results = await new PrepareHandler(memoryStore()).handleBatch(
        mixed.map((tx) => loopEvent(tx, tx.eventId)),
        loopContext(),
      );

      expect(results).toEqual(expected);
    });

    it('fails an invalid transaction alone, without retrying, and scores a late one flagged', async () => {
      const store = memoryStore();
      const handler = new PrepareHandler(store);
      const late: number[] = [];
      const batch = [transaction(5), transaction(4), { amount: 'x' } as never, transaction(6)];

      const results = await handler.handleBatch(
        batch.map((tx, n) => loopEvent(tx, `e-${n}`)),
        { ...loopContext(), observeLateEvent: (ms) => late.push(ms) },
      );

      expect(results[1]).toEqual([
        expect.objectContaining({ payload: expect.objectContaining({ lateByMs: MINUTE }) }),
      ]);
      expect(results[2]).toMatchObject({ code: 'INVALID_TRANSACTION', retriable: false });
      expect([results[0], results[3]].every(Array.isArray)).toBe(true);
      expect(late).toEqual([MINUTE]);
      expect(recordedCount(store.snapshots.get('loop/card-1'))).toBe(3);
    });

    it('re-emits the recorded features of a batch handled again and does not count its events twice', async () => {
      const store = memoryStore();
      const handler = new PrepareHandler(store);
      const events = mixed.map((tx) => loopEvent(tx, tx.eventId));

      const first = await handler.handleBatch(events, loopContext());
      const again = await handler.handleBatch(events, loopContext());

      expect(again).toEqual(first);
      expect(recordedCount(store.snapshots.get('loop/card-1'))).toBe(3);
      expect(recordedCount(store.snapshots.get('loop/card-2'))).toBe(2);
    });

    it('fails the whole batch on an unknown feature definition, without retrying', async () => {
      const handler = new PrepareHandler(memoryStore());

      await expect(
        handler.handleBatch(
          [loopEvent(transaction(1))],
          loopContext({ featureDefinition: 'fraud.card-features@99' }),
        ),
      ).rejects.toMatchObject({ code: 'UNKNOWN_FEATURE_DEFINITION', retriable: false });
    });
  });
});
