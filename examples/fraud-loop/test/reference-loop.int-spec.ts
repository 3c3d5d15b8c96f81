import { generateFraudScenario, parseModelArtifact } from '@gyre/ml';
import { ParquetDatasetStore, S3Storage } from '@gyre/storage';
import { DataSource } from 'typeorm';
import { migratedDatabase, MigratedDatabase, testS3Settings, uniqueName } from '../../../tools/testing';
import { StageContext, StageEvent, StageHandler, StageOutput } from '@gyre/pipelines';
import { createReferenceLoopHandlers, LoopReport, REFERENCE_LOOP_MIGRATIONS } from '../src';

const TRANSACTIONS = 1500;
// A fixed scenario seed: the data, the held-out split and so the AUC are the same on every run.
const SCENARIO_SEED = 'reference-loop-it';

describe('the reference fraud loop on Postgres and S3', () => {
  let database: MigratedDatabase;
  let dataSource: DataSource;
  let storage: S3Storage;
  let handlers: Map<string, StageHandler>;
  const pipeline = uniqueName('fraud-loop');

  const context = (parameters: Record<string, unknown> = {}): StageContext => ({
    pipeline,
    stage: 'stage',
    attempt: 1,
    parameters,
    signal: new AbortController().signal,
  });
  const event = <T>(id: string, payload: T, epoch?: string): StageEvent<T> => ({
    id,
    key: undefined,
    epoch,
    payload,
    eventTime: 0,
    properties: {},
  });
  const run = (name: string, input: StageEvent<unknown>, parameters?: Record<string, unknown>) =>
    handlers.get(name)!.handle(input, context(parameters)) as Promise<StageOutput<Record<string, unknown>>[]>;

  beforeAll(async () => {
    database = await migratedDatabase('gyre-test', REFERENCE_LOOP_MIGRATIONS);
    dataSource = database.dataSource;
    const settings = testS3Settings();
    storage = new S3Storage(settings);
    await storage.ensureBucket(settings.buckets.models);
    await storage.ensureBucket(settings.buckets.datasets);
    handlers = new Map(
      createReferenceLoopHandlers(dataSource, storage, { modelRefreshMs: 0 }).map((h) => [h.name, h]),
    );
  });

  afterAll(async () => {
    storage?.onModuleDestroy();
    await database?.close();
  });

  it('trains version 1 from epoch 1, with its artifact in S3, its dataset as Parquet and its metrics in Postgres', async () => {
    const { transactions, outcomes } = generateFraudScenario({
      seed: SCENARIO_SEED,
      transactionCount: TRANSACTIONS,
    });
    const outcomeOf = new Map(outcomes.map((o) => [o.eventId, o]));
    const examples: StageOutput<Record<string, unknown>>[] = [];
    for (const [index, tx] of transactions.entries()) {
      const outcome = outcomeOf.get(tx.eventId)!;
      // Every third label arrives before its prediction; the others after.
      if (index % 3 === 0)
        examples.push(...(await run('fraud.feedback.v1', event(`l-${tx.eventId}`, outcome))));
      const [features] = await run('fraud.prepare.v1', event(tx.eventId, tx));
      const [prediction] = await run(
        'fraud.infer.v1',
        event(`f-${tx.eventId}`, features.payload, features.epoch),
      );
      examples.push(...(await run('fraud.feedback.v1', event(`p-${tx.eventId}`, prediction.payload, '1'))));
      if (index % 3 !== 0)
        examples.push(...(await run('fraud.feedback.v1', event(`l-${tx.eventId}`, outcome))));
    }
    expect(examples).toHaveLength(TRANSACTIONS);
    expect(examples.every((example) => example.epoch === '2')).toBe(true);

    const updates = [];
    for (const example of examples)
      updates.push(
        ...(await run('fraud.train.v1', event(`x-${String(example.payload.eventId)}`, example.payload, '2'), {
          minExamples: TRANSACTIONS,
          seed: 'it',
        })),
      );

    expect(updates).toHaveLength(1);
    const update = updates[0].payload as { version: number; bucket: string; key: string; checksum: string };
    expect(update.version).toBe(1);
    const artifact = parseModelArtifact(await storage.getObject(update.bucket, update.key));
    expect(artifact.checksum).toBe(update.checksum);
    const [lineage] = await new LoopReport(dataSource).epochs(pipeline);
    expect(lineage).toMatchObject({
      epoch: 1,
      state: 'closed',
      events: TRANSACTIONS,
      examples: TRANSACTIONS,
    });
    expect(lineage.trained?.metrics.auc).toBeGreaterThan(0.75);
    // Version 1 learns only the labels known by epoch 1's end (its last transaction): the rest come later.
    const epochEnd = transactions[transactions.length - 1].timestamp;
    const matured = outcomes.filter((outcome) => outcome.reportedAt <= epochEnd).length;
    expect(matured).toBeLessThan(TRANSACTIONS);
    expect(lineage.dataset?.rowCount).toBe(matured);
    const rows = await new ParquetDatasetStore(storage).read({
      format: 'parquet',
      bucket: lineage.dataset!.bucket,
      keys: lineage.dataset!.keys,
      rowCount: lineage.dataset!.rowCount,
      schema: (
        await dataSource.query(
          `SELECT schema FROM gyre_loop_dataset_manifests WHERE pipeline = $1 AND epoch = 1`,
          [pipeline],
        )
      )[0].schema,
      checksum: { algorithm: 'sha256', value: lineage.dataset!.checksum },
      sizeBytes: 0,
      metadata: {},
    });
    expect(rows).toHaveLength(matured);
    // Each row: the epoch its event was scored in (1), its key (the card) and its event time.
    const byId = new Map(transactions.map((tx) => [tx.eventId, tx]));
    expect(rows.filter((row) => row.epoch !== 1)).toEqual([]);
    expect(
      rows.filter((row) => {
        const tx = byId.get(row.event_id as string);
        return row.key !== tx?.cardId || row.event_time !== tx?.timestamp;
      }),
    ).toEqual([]);
  });

  it('re-emits the same features for a redelivered transaction without counting it twice', async () => {
    const { transactions } = generateFraudScenario({ seed: `${SCENARIO_SEED}-2`, transactionCount: 50 });
    const tx = { ...transactions[0], eventId: 'tx-redelivered', cardId: 'card-redelivered' };
    const first = await run('fraud.prepare.v1', event(tx.eventId, tx));
    const again = await run('fraud.prepare.v1', event(tx.eventId, tx));

    expect(again).toEqual(first);
    const [card] = (await dataSource.query(
      `SELECT snapshot FROM gyre_loop_card_states WHERE pipeline = $1 AND card_id = $2`,
      [pipeline, tx.cardId],
    )) as { snapshot: { count: number; pending: unknown[] } }[];
    // Recorded once: kept apart (within the allowed lateness) or folded into the statistics.
    expect(card.snapshot.count + card.snapshot.pending.length).toBe(1);
    expect(first[0].epoch).toBe('2');
  });

  it('scores the next epoch with the new model version, without a restart', async () => {
    const features = {
      eventId: 'tx-next',
      cardId: 'c',
      timestamp: 0,
      epoch: 2,
      values: new Array(13).fill(0),
    };
    const [prediction] = await run('fraud.infer.v1', event('f-next', features, '2'));

    expect(prediction.payload).toMatchObject({ modelVersion: 1, epoch: 2 });
  });
});
