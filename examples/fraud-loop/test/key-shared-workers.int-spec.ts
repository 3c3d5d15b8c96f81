import { DataSource } from 'typeorm';
import { uniqueName, waitFor } from '../../../tools/testing';
import { collect, countById, useStageFixture } from '../../../tools/testing/stages';
import { StageMetrics } from '@gyre/pipelines';
import {
  cardHistoryBreaks,
  featureRowCount,
  useLoopDatabase,
  prepareStage,
  preparedBy,
  preparedInBatchesBy,
  publishTransactions,
  transactions,
} from './prepare-stage-fixtures';

describe('two workers on one Key_Shared subscription (the prepare stage, per-card state in Postgres)', () => {
  const fixture = useStageFixture();
  const loopDatabase = useLoopDatabase();
  let dataSource: DataSource;
  beforeAll(() => {
    dataSource = loopDatabase.dataSource;
  });

  it.each([
    ['one event at a time', 1],
    ['in batches of 16 (one transaction per batch)', 16],
  ])(
    'keeps every card in order and its state continuous while one worker is stopped and restarted, %s',
    async (_mode, batchSize) => {
      const pipeline = uniqueName('key-shared');
      const prefix = uniqueName('ks');
      const topicOf = fixture.topicOf(prefix);
      const stage = prepareStage({
        retry: { maxAttempts: 10, initialBackoffMs: 100, maxBackoffMs: 1000 },
        ...(batchSize > 1 ? { batchSize, batchMaxWaitMs: 20 } : {}),
      });
      const all = transactions(pipeline, 1200);
      const [firstHalf, secondHalf] = [all.slice(0, 600), all.slice(600)];
      const seen = new Map<string, Set<string>>();
      const metrics = new StageMetrics(pipeline, 'prepare');
      /** A worker: its own client (own connection, as a separate process would have) and runner. */
      const startWorker = async (name: string) => {
        const runner = fixture.runner({
          client: fixture.newClient(),
          prefix,
          pipeline,
          stage,
          handler:
            batchSize > 1 ? preparedInBatchesBy(dataSource, name, seen) : preparedBy(dataSource, name, seen),
          metrics,
        });
        await runner.start();
        return runner;
      };
      const handledBy = (worker: string) =>
        [...seen.values()].filter((workers) => workers.has(worker)).length;
      const observer = fixture.client;
      const outputs = await collect(observer, topicOf('features'));
      const dead = await collect(observer, `${topicOf('transactions')}-${stage.input.subscription}-DLQ`);

      await startWorker('a');
      const b = await startWorker('b');
      await publishTransactions(observer, topicOf('transactions'), firstHalf);
      await waitFor(() => metrics.processed >= 200, { timeoutMs: 60_000, description: '200 events handled' });
      await b.drain(15_000);
      expect(handledBy('b')).toBeGreaterThan(0);
      // b's cards moved to a, which continues from the state b committed.
      await waitFor(async () => (await featureRowCount(dataSource, pipeline)) === 600, {
        timeoutMs: 90_000,
        description: 'the first 600 transactions handled by the remaining worker',
      });

      await startWorker('b2');
      await publishTransactions(observer, topicOf('transactions'), secondHalf);
      await waitFor(async () => (await featureRowCount(dataSource, pipeline)) === 1200, {
        timeoutMs: 90_000,
        description: 'all 1200 transactions handled',
      });

      expect(handledBy('b2')).toBeGreaterThan(0);
      const movedCards = [...seen.values()].filter((workers) => workers.size > 1);
      expect(movedCards.length).toBeGreaterThan(0);
      expect(await cardHistoryBreaks(dataSource, pipeline, all)).toEqual([]);
      await waitFor(() => countById(outputs.messages).size === 1200, {
        description: 'a features event for each transaction',
      });
      expect(dead.messages).toHaveLength(0);
      expect(metrics.snapshot()).toMatchObject({ deadLettered: 0 });
    },
  );
});
