import { Message, Transaction } from '@gyre/pulsar';
import { testMessage } from './spec-fixtures';
import { CommittedAcks } from './committed-acks';

/** A transaction double recording what was acked in it; commit waits until the test lets it finish. */
class RecordedTransaction {
  state: 'open' | 'committed' | 'aborted' = 'open';
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

describe(CommittedAcks.name, () => {
  let transactions: RecordedTransaction[];
  let acks: CommittedAcks;
  let consumer: { acknowledgeAll: jest.Mock; negativeAcknowledge: jest.Mock };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    transactions = [];
    const client = {
      newTransaction: jest.fn(async () => {
        const txn = new RecordedTransaction();
        transactions.push(txn);
        return txn as unknown as Transaction;
      }),
    };
    consumer = {
      acknowledgeAll: jest.fn(async (messages: readonly Message[], txn: Transaction) => {
        for (const m of messages)
          (txn as unknown as RecordedTransaction).acked.push(Number(m.getMessageId().entryId));
        return null;
      }),
      negativeAcknowledge: jest.fn(),
    };
    acks = new CommittedAcks(client, consumer, 10_000, 0);
  });

  it('commits the acks made together (one request) in one transaction, sent as one group', async () => {
    const together = [1, 2, 3].map((entry) => acks.acknowledge(testMessage(entry)));
    await settle();
    expect(transactions).toHaveLength(1);
    expect(consumer.acknowledgeAll).toHaveBeenCalledTimes(1);
    expect(transactions[0].acked).toEqual([1, 2, 3]);
    transactions[0].finishCommit();
    await Promise.all(together);
  });

  it('answers an ack only after the transaction carrying it has committed', async () => {
    let answered = false;
    const ack = acks.acknowledge(testMessage(1)).then(() => (answered = true));
    await settle();
    expect(transactions).toHaveLength(1);
    expect(transactions[0].acked).toEqual([1]);
    expect(answered).toBe(false);

    transactions[0].finishCommit();
    await ack;
    expect(transactions[0].state).toBe('committed');
  });

  it('puts the acks that arrive during a commit together into the next transaction', async () => {
    const first = acks.acknowledge(testMessage(1));
    await settle();
    const later = [2, 3, 4].map((entry) => acks.acknowledge(testMessage(entry)));
    await settle();
    expect(transactions).toHaveLength(1);

    transactions[0].finishCommit();
    await first;
    await settle();
    expect(transactions).toHaveLength(2);
    expect(transactions[1].acked).toEqual([2, 3, 4]);
    transactions[1].finishCommit();
    await Promise.all(later);
  });

  it('fails every ack of a transaction that did not commit (retriable), and commits later acks in a new one', async () => {
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
    transactions[1].finishCommit();
    await retried;
    expect(transactions[1].acked).toEqual([1]);
  });

  it('tries a retriable failure again in a new transaction, within its retry window', async () => {
    const client = { newTransaction: jest.fn() };
    let attempts = 0;
    const consumer = {
      acknowledgeAll: jest.fn(async () => {
        attempts += 1;
        if (attempts < 3) throw Object.assign(new Error('consumer is reconnecting'), { retriable: true });
        return null;
      }),
      negativeAcknowledge: jest.fn(),
    };
    client.newTransaction.mockImplementation(async () => {
      const txn = new RecordedTransaction();
      transactions.push(txn);
      return txn as unknown as Transaction;
    });
    const retrying = new CommittedAcks(client, consumer, 10_000, 5_000);
    const ack = retrying.acknowledge(testMessage(1));
    // The backoff between attempts is real time (100 ms, then 200 ms): wait for the third transaction.
    while (transactions.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    await settle();
    transactions[2].finishCommit();
    await ack;
    expect(consumer.acknowledgeAll).toHaveBeenCalledTimes(3);
    expect(transactions.map((txn) => txn.state)).toEqual(['aborted', 'aborted', 'committed']);
  });

  it('does not try again a failure that is not retriable', async () => {
    const client = {
      newTransaction: jest.fn(async () => {
        const txn = new RecordedTransaction();
        transactions.push(txn);
        return txn as unknown as Transaction;
      }),
    };
    const consumer = {
      acknowledgeAll: jest.fn(async () => {
        throw new Error('ack refused: not allowed');
      }),
      negativeAcknowledge: jest.fn(),
    };
    const refusing = new CommittedAcks(client, consumer, 10_000, 5_000);
    await expect(refusing.acknowledge(testMessage(1))).rejects.toMatchObject({ code: 'CONSUME_UNAVAILABLE' });
    expect(transactions).toHaveLength(1);
  });
});
