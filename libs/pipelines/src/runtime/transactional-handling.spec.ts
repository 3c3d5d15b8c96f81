import type { Client, Consumer, Message, Transaction } from '@gyre/pulsar';
import { PipelineError } from '../errors';
import type { StageWork } from './stage-work';
import { handleInTransactions, TransactionalStage } from './transactional-handling';

/** Messages as the runtime sees them: only the redelivery count and key matter here. */
function message(name: string): Message {
  return { getRedeliveryCount: () => 0, name } as unknown as Message;
}
const nameOf = (m: Message) => (m as unknown as { name: string }).name;

/**
 * A stage over fake transactions that log what happens to them; `fail` decides, per attempt, which
 * messages fail and how (a handler error or a failed send).
 */
function fakeStage(
  fail: (name: string, attempt: number) => 'handler' | 'publish' | 'fatal' | undefined,
  keyShared = false,
) {
  const log: string[] = [];
  let txns = 0;
  const calls = new Map<string, number>();
  const txnOf = (txn: Transaction | undefined) => (txn as unknown as { n: number }).n;
  const stage: TransactionalStage = {
    keyShared,
    transactionTimeoutMs: 60_000,
    client: {
      newTransaction: async () => {
        const n = ++txns;
        let state = 'open';
        return {
          getState: () => state,
          commit: async () => void (log.push(`commit ${n}`), (state = 'committed')),
          abort: async () => void (log.push(`abort ${n}`), (state = 'aborted')),
          n,
        } as unknown as Transaction;
      },
    } as unknown as Client,
  };
  const work: StageWork = {
    consumer: {
      acknowledge: async (m: Message, txn: Transaction) => void log.push(`ack ${nameOf(m)} in ${txnOf(txn)}`),
      negativeAcknowledge: (m: Message) => void log.push(`nack ${nameOf(m)}`),
    } as unknown as Consumer,
    stopping: new AbortController().signal,
    attempt: async (messages) =>
      messages.map((m) => {
        const attempt = (calls.get(nameOf(m)) ?? 0) + 1;
        calls.set(nameOf(m), attempt);
        const how = fail(nameOf(m), attempt);
        if (how === 'publish') return new PipelineError('PUBLISH_FAILED', 'send failed', { retriable: true });
        if (how === 'fatal') return new PipelineError('MALFORMED_PAYLOAD', 'bad event', { retriable: false });
        return how === 'handler' ? new Error('handler failed') : undefined;
      }),
    decide: (error) =>
      (error as { retriable?: boolean }).retriable === false
        ? { action: 'dead-letter', reason: 'not-retriable' }
        : { action: 'retry', delayMs: 1 },
    deadLetter: async (m, _error, _attempts, txn) => {
      log.push(`dead-letter ${nameOf(m)} in ${txnOf(txn)}`);
      log.push(`ack ${nameOf(m)} in ${txnOf(txn)}`);
    },
    deadLetterRetryMs: 1,
    settled: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    redeliver: () => undefined,
  };
  return { work, stage, log };
}

describe(handleInTransactions.name, () => {
  it('acks every input in the transaction that carried the outputs, then commits', async () => {
    const { work, stage, log } = fakeStage(() => undefined);
    await handleInTransactions(work, stage, [message('a'), message('b')]);
    expect(log).toEqual(['ack a in 1', 'ack b in 1', 'commit 1']);
  });

  it('aborts the whole handling when a send failed, and handles the batch again in a new transaction', async () => {
    const { work, stage, log } = fakeStage((name, attempt) =>
      name === 'b' && attempt === 1 ? 'publish' : undefined,
    );
    await handleInTransactions(work, stage, [message('a'), message('b')]);
    expect(log).toEqual(['abort 1', 'ack a in 2', 'ack b in 2', 'commit 2']);
  });

  it('on Shared, commits the others and nacks the event to retry after the commit', async () => {
    const { work, stage, log } = fakeStage((name) => (name === 'b' ? 'handler' : undefined));
    await handleInTransactions(work, stage, [message('a'), message('b'), message('c')]);
    expect(log).toEqual(['ack a in 1', 'ack c in 1', 'commit 1', 'nack b']);
  });

  it('on Key_Shared, aborts the batch for an event to retry and handles all of it again, in order', async () => {
    const { work, stage, log } = fakeStage(
      (name, attempt) => (name === 'b' && attempt === 1 ? 'handler' : undefined),
      true,
    );
    await handleInTransactions(work, stage, [message('a'), message('b'), message('c')]);
    expect(log).toEqual(['abort 1', 'ack a in 2', 'ack b in 2', 'ack c in 2', 'commit 2']);
  });

  it('dead-letters an event and acks it in the same transaction as the others', async () => {
    const { work, stage, log } = fakeStage((name) => (name === 'b' ? 'fatal' : undefined));
    await handleInTransactions(work, stage, [message('a'), message('b')]);
    expect(log).toEqual(['ack a in 1', 'dead-letter b in 1', 'ack b in 1', 'commit 1']);
  });
});
