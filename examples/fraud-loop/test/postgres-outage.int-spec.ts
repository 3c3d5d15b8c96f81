import { DataSource } from 'typeorm';
import { freePort, PrivatePostgres, uniqueName, waitFor } from '../../../tools/testing';
import { collect, countById, useStageFixture } from '../../../tools/testing/stages';
import { StageMetrics } from '@gyre/pipelines';
import {
  cardHistoryBreaks,
  featureRowCount,
  migratedDataSource,
  prepareStage,
  preparedBy,
  preparedInBatchesBy,
  publishTransactions,
  transactions,
} from './prepare-stage-fixtures';

describe('a stage whose Postgres goes down for a while (prepare, on a private Postgres)', () => {
  let postgres: PrivatePostgres;
  let dataSource: DataSource;
  const fixture = useStageFixture();

  beforeAll(async () => {
    postgres = await PrivatePostgres.start(await freePort());
    dataSource = await migratedDataSource(postgres.url);
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    postgres?.stop();
  });

  it.each([
    ['one event at a time', 1],
    ['in batches of 16', 16],
  ])(
    'pauses without acknowledging what it could not commit, then resumes by itself and loses nothing, %s',
    async (_mode, batchSize) => {
      const pipeline = uniqueName('pg-outage');
      const prefix = uniqueName('pgo');
      const topicOf = fixture.topicOf(prefix);
      const client = fixture.client;
      // Generous attempts: an outage is waited out in place (Key_Shared), not dead-lettered.
      const stage = prepareStage({
        retry: { maxAttempts: 100, initialBackoffMs: 100, maxBackoffMs: 1000 },
        ...(batchSize > 1 ? { batchSize, batchMaxWaitMs: 20 } : {}),
      });
      const all = transactions(pipeline, 800);
      const metrics = new StageMetrics(pipeline, 'prepare');
      const outputs = await collect(client, topicOf('features'));
      const dead = await collect(client, `${topicOf('transactions')}-${stage.input.subscription}-DLQ`);
      await publishTransactions(client, topicOf('transactions'), all);
      const runner = fixture.runner({
        prefix,
        pipeline,
        stage,
        handler:
          batchSize > 1
            ? preparedInBatchesBy(dataSource, 'worker', new Map())
            : preparedBy(dataSource, 'worker', new Map()),
        metrics,
      });
      await runner.start();
      await waitFor(() => metrics.processed >= 150, { timeoutMs: 60_000, description: '150 events handled' });

      postgres.down();
      // Events committed just before the outage may still be acked; after that, every attempt fails.
      await waitFor(() => metrics.retried >= 8, { description: 'attempts failing against the outage' });
      const ackedDuringOutage = metrics.processed;
      const failedSoFar = metrics.retried;
      await waitFor(() => metrics.retried >= failedSoFar + 20, { description: 'the outage to go on' });
      expect(metrics.processed).toBe(ackedDuringOutage);
      expect(ackedDuringOutage).toBeLessThan(800);

      postgres.up();
      await waitFor(() => metrics.processed === 800, {
        timeoutMs: 90_000,
        description: 'every event acked after the restart',
      });

      expect(await featureRowCount(dataSource, pipeline)).toBe(800);
      expect(await cardHistoryBreaks(dataSource, pipeline, all)).toEqual([]);
      await waitFor(() => countById(outputs.messages).size === 800, {
        description: 'a features event for each transaction',
      });
      expect(dead.messages).toHaveLength(0);
      expect(metrics.snapshot()).toMatchObject({ deadLettered: 0 });
    },
  );
});
