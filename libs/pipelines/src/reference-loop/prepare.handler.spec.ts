import { FRAUD_FEATURES_V1 } from '@gyre/ml';
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

/** The store as plain maps: one snapshot per card, one recorded row per event id. */
function memoryStore(epoch = 1): CardFeatureStore & { snapshots: Map<string, unknown> } {
  const snapshots = new Map<string, unknown>();
  const rows = new Map<string, RecordedFeatures>();
  return {
    snapshots,
    currentEpoch: () => Promise.resolve(epoch),
    labelCounts: () =>
      Promise.resolve({ merchant: { labels: 0, fraud: 0 }, category: { labels: 0, fraud: 0 } }),
    recordOnce: (_pipeline, tx, compute) => {
      const existing = rows.get(tx.eventId);
      if (existing) return Promise.resolve(existing);
      try {
        const { row, snapshot } = compute(snapshots.get(tx.cardId));
        rows.set(tx.eventId, row);
        snapshots.set(tx.cardId, snapshot);
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
    expect(store.snapshots.get('card-1')).toMatchObject({ count: 1 });
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
