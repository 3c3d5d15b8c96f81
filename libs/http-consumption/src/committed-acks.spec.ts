import { Message, Transaction } from '@gyre/pulsar';
import { testMessage } from './spec-fixtures';
import { CommittedAcks } from './committed-acks';

/** A transaction double recording what was acked in it; commit waits until the test lets it finish. */
class RecordedTransaction {
  state: 'open' | 'committed' | 'aborted' = 'open';
  registered = false;
  readonly acked: number[] = [];
  finishCommit!: (error?: Error) => void;
  getState() {
    return this.state;
  }
  commit(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.finishCommit = (error) => {
        this.state = error ? 'open' : 'committed';
        if (error) reject(error);
        else resolve();
      };
    });
  }
  async abort(): Promise<void> {
    this.state = 'aborted';
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A client and consumer double: every transaction opened, what each ack went into, and a clock. */
function ackWorld(
  options: { acknowledgeAll?: () => Promise<null>; timeoutMs?: number; retryMs?: number } = {},
) {
  const transactions: RecordedTransaction[] = [];
  let clock = 0;
  const client = {
    newTransaction: jest.fn(async () => {
      const txn = new RecordedTransaction();
      transactions.push(txn);
      return txn as unknown as Transaction;
    }),
  };
  const consumer = {
    acknowledgeAll: jest.fn(async (messages: readonly Message[], txn: Transaction) => {
      for (const m of messages)
        (txn as unknown as RecordedTransaction).acked.push(Number(m.getMessageId().entryId));
      return options.acknowledgeAll ? options.acknowledgeAll() : null;
    }),
    negativeAcknowledge: jest.fn(),
    registerTransaction: jest.fn(async (txn: Transaction) => {
      (txn as unknown as RecordedTransaction).registered = true;
    }),
  };
  const acks = new CommittedAcks(
    client,
    consumer,
    options.timeoutMs ?? 10_000,
    options.retryMs ?? 0,
    () => clock,
  );
  return {
    acks,
    client,
    consumer,
    transactions,
    carrying: (entry: number) => transactions.filter((txn) => txn.acked.includes(entry)),
    advance: (ms: number) => (clock += ms),
  };
}

describe(CommittedAcks.name, () => {
  it('commits the acks made together (one request) in one transaction, sent as one group', async () => {
    const { acks, consumer, transactions } = ackWorld();
    const together = [1, 2, 3].map((entry) => acks.acknowledge(testMessage(entry)));
    await settle();

    expect(consumer.acknowledgeAll).toHaveBeenCalledTimes(1);
    expect(transactions[0].acked).toEqual([1, 2, 3]);
    transactions[0].finishCommit();
    await Promise.all(together);
  });

  it('answers an ack only after the transaction carrying it has committed', async () => {
    const { acks, transactions } = ackWorld();
    let answered = false;
    const ack = acks.acknowledge(testMessage(1)).then(() => (answered = true));
    await settle();
    expect(transactions[0].acked).toEqual([1]);
    expect(answered).toBe(false);

    transactions[0].finishCommit();
    await ack;
    expect(transactions[0].state).toBe('committed');
  });

  it("opens and registers the next group's transaction while a group commits, and the next group uses it", async () => {
    const { acks, client, transactions } = ackWorld();
    const first = acks.acknowledge(testMessage(1));
    await settle();

    // While the first group commits, a second transaction is open and registered on the subscription.
    expect(transactions).toHaveLength(2);
    expect(transactions[1]).toMatchObject({ registered: true, acked: [] });
    transactions[0].finishCommit();
    await first;

    const second = acks.acknowledge(testMessage(2));
    await settle();
    expect(transactions[1].acked).toEqual([2]);
    // Opened ahead again for the group after it: one open per group, never on the ack's path.
    expect(client.newTransaction).toHaveBeenCalledTimes(3);
    transactions[1].finishCommit();
    await second;
  });

  it('commits up to four groups at once; acks that arrive while all four commit go together in the next', async () => {
    const { acks, transactions, carrying } = ackWorld();
    const early = [];
    for (const entry of [1, 2, 3, 4]) {
      early.push(acks.acknowledge(testMessage(entry)));
      await settle();
    }
    const waiting = [5, 6].map((entry) => acks.acknowledge(testMessage(entry)));
    await settle();

    expect([1, 2, 3, 4].map((entry) => carrying(entry).length)).toEqual([1, 1, 1, 1]);
    expect(new Set([1, 2, 3, 4].map((entry) => carrying(entry)[0])).size).toBe(4);
    expect(carrying(5)).toEqual([]);

    carrying(2)[0].finishCommit();
    await early[1];
    await settle();
    expect(carrying(5)).toHaveLength(1);
    expect(carrying(5)[0].acked).toEqual([5, 6]);

    for (const entry of [1, 3, 4, 5]) carrying(entry)[0].finishCommit();
    await Promise.all([...early, ...waiting]);
    expect(transactions.filter((txn) => txn.state === 'committed')).toHaveLength(5);
  });

  it('aborts a prepared transaction past half its timeout instead of using it, and opens a fresh one', async () => {
    const { acks, transactions, advance } = ackWorld({ timeoutMs: 10_000 });
    const first = acks.acknowledge(testMessage(1));
    await settle();
    transactions[0].finishCommit();
    await first;

    advance(5_000);
    const late = acks.acknowledge(testMessage(2));
    await settle();
    expect(transactions[1]).toMatchObject({ state: 'aborted', acked: [] });
    expect(transactions[2].acked).toEqual([2]);
    transactions[2].finishCommit();
    await late;
  });

  it('aborts the prepared transaction when the lease book closes, and prepares no other', async () => {
    const { acks, client, transactions } = ackWorld();
    const ack = acks.acknowledge(testMessage(1));
    await settle();
    transactions[0].finishCommit();
    await ack;

    acks.dispose();
    await settle();
    expect(transactions[1].state).toBe('aborted');
    expect(client.newTransaction).toHaveBeenCalledTimes(2);
  });

  it('fails every ack of a transaction that did not commit (retriable), and commits later acks in a new one', async () => {
    const { acks, transactions, carrying } = ackWorld();
    const failed = [1, 2].map((entry) => acks.acknowledge(testMessage(entry)));
    await settle();
    transactions[0].finishCommit(new Error('coordinator unavailable'));
    const refused = {
      code: 'CONSUME_UNAVAILABLE',
      retriable: true,
      cause: new Error('coordinator unavailable'),
    };
    await Promise.all(failed.map((ack) => expect(ack).rejects.toMatchObject(refused)));
    expect(transactions[0].state).toBe('aborted');

    const retried = acks.acknowledge(testMessage(1));
    await settle();
    const [again] = carrying(1).filter((txn) => txn !== transactions[0]);
    again.finishCommit();
    await retried;
    expect(again.state).toBe('committed');
  });

  it('tries a retriable failure again in a new transaction, within its retry window', async () => {
    let attempts = 0;
    const { acks, consumer, carrying } = ackWorld({
      retryMs: 5_000,
      acknowledgeAll: async () => {
        attempts += 1;
        if (attempts < 3) throw Object.assign(new Error('consumer is reconnecting'), { retriable: true });
        return null;
      },
    });
    const ack = acks.acknowledge(testMessage(1));
    // The backoff between attempts is real time (100 ms, then 200 ms): wait for the third transaction.
    while (carrying(1).length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    await settle();
    carrying(1)[2].finishCommit();
    await ack;
    expect(consumer.acknowledgeAll).toHaveBeenCalledTimes(3);
    expect(carrying(1).map((txn) => txn.state)).toEqual(['aborted', 'aborted', 'committed']);
  });

  it('does not try again a failure that is not retriable', async () => {
    const { acks, carrying } = ackWorld({
      retryMs: 5_000,
      acknowledgeAll: async () => {
        throw new Error('ack refused: not allowed');
      },
    });
    await expect(acks.acknowledge(testMessage(1))).rejects.toMatchObject({ code: 'CONSUME_UNAVAILABLE' });
    expect(carrying(1)).toHaveLength(1);
  });
});
