import { TxnAction } from '../codec/protocol';
import { TransactionError } from '../errors';
import { CoordinatorClient } from './coordinator-client';
import { Transaction } from './transaction';

/** A coordinator that records what the transaction asks of it (the wire is covered by txn-wire.spec.ts). */
function fakeCoordinator() {
  const calls: string[] = [];
  const coordinator = {
    addPartitions: async (_id: unknown, partitions: string[]) =>
      void calls.push(`partition ${partitions[0]}`),
    addSubscription: async (_id: unknown, topic: string, subscription: string) =>
      void calls.push(`subscription ${topic} ${subscription}`),
    end: async (_id: unknown, action: TxnAction) => void calls.push(TxnAction[action]),
  };
  return { calls, coordinator: coordinator as unknown as CoordinatorClient };
}

describe(Transaction.name, () => {
  const id = { mostBits: 0n, leastBits: 7n };

  it('registers each partition and subscription with its coordinator once', async () => {
    const { calls, coordinator } = fakeCoordinator();
    const txn = new Transaction(id, coordinator);
    await Promise.all([
      txn.registerPartition('t-0'),
      txn.registerPartition('t-0'),
      txn.registerPartition('t-1'),
    ]);
    await txn.registerSubscription('in', 'sub');
    await txn.registerSubscription('in', 'sub');
    expect(calls).toEqual(['partition t-0', 'partition t-1', 'subscription in sub']);
    expect(txn.toString()).toBe('0:7');
  });

  it('commits only after every send and ack made with it has settled', async () => {
    const { calls, coordinator } = fakeCoordinator();
    const txn = new Transaction(id, coordinator);
    let receipt!: () => void;
    void txn.track(new Promise<void>((resolve) => (receipt = resolve)));
    const committing = txn.commit();
    await Promise.resolve();
    expect(calls).toEqual([]);
    receipt();
    await committing;
    expect(calls).toEqual(['COMMIT']);
    expect(txn.getState()).toBe('committed');
  });

  it('aborts instead of committing when one of its sends failed, and says why', async () => {
    const { calls, coordinator } = fakeCoordinator();
    const txn = new Transaction(id, coordinator);
    txn.track(Promise.reject(new Error('send refused'))).catch(() => undefined);
    const failure = await txn.commit().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionError);
    expect(failure).toMatchObject({ code: 'TRANSACTION_FAILED', cause: new Error('send refused') });
    expect(calls).toEqual(['ABORT']);
    expect(txn.getState()).toBe('aborted');
  });

  it('refuses to be used, committed or aborted once it has ended', async () => {
    const { coordinator } = fakeCoordinator();
    const txn = new Transaction(id, coordinator);
    await txn.abort();
    await expect(txn.registerPartition('t-0')).rejects.toMatchObject({ code: 'TRANSACTION_FAILED' });
    await expect(txn.commit()).rejects.toThrow('cannot commit transaction 0:7: it is aborted');
  });
});
