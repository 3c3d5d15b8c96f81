import { FRAUD_FEATURES_V1, FRAUD_FEATURES_V2 } from '@gyre/ml';
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

/** The store as plain maps: one snapshot per (scope, card), one recorded row per (scope, event id). */
function memoryStore(
  epoch = 1,
  labels: Array<{ merchantId: string; fraud: 0 | 1; knownAt: number }> = [],
): CardFeatureStore & { snapshots: Map<string, unknown> } {
  const snapshots = new Map<string, unknown>();
  const rows = new Map<string, RecordedFeatures>();
  return {
    snapshots,
    currentEpoch: () => Promise.resolve(epoch),
    labelCounts: (_pipeline, merchantId, _category, asOf) => {
      const known = labels.filter((l) => l.merchantId === merchantId && l.knownAt < asOf);
      const counts = { labels: known.length, fraud: known.filter((l) => l.fraud === 1).length };
      return Promise.resolve({ merchant: counts, category: { labels: 0, fraud: 0 } });
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
    expect(store.snapshots.get('loop/card-1')).toMatchObject({ count: 1 });
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

    expect(store.snapshots.get('loop/card-1')).toMatchObject({ count: 2 });
    expect(store.snapshots.get('rebuild-1/card-1')).toMatchObject({ count: 1 });
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

  it('sends a transaction older than its card’s last one to the dead-letter topic (non-retriable)', async () => {
    const handler = new PrepareHandler(memoryStore());
    await handler.handle(loopEvent(transaction(5)), loopContext());

    await expect(handler.handle(loopEvent(transaction(4)), loopContext())).rejects.toMatchObject({
      code: 'LATE_EVENT',
      retriable: false,
    });
  });

  it('refuses a payload that is not a transaction without retrying', async () => {
    const handler = new PrepareHandler(memoryStore());

    await expect(handler.handle(loopEvent({ amount: 'x' } as never), loopContext())).rejects.toMatchObject({
      code: 'INVALID_TRANSACTION',
      retriable: false,
    });
  });
});
