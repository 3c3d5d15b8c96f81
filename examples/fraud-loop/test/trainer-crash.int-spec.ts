import { buildFeatureRows, FRAUD_FEATURES_V1, generateFraudScenario } from '@gyre/ml';
import { Client } from '@gyre/pulsar';
import { S3Storage } from '@gyre/storage';
import { EVENT_PROPERTIES } from '@gyre/streams';
import { DataSource } from 'typeorm';
import { createFreshDatabase, testS3Settings, uniqueName, waitFor } from '../../../tools/testing';
import { collect, countById, testStage, useStageFixture } from '../../../tools/testing/stages';
import { StageRunner } from '@gyre/pipelines';
import {
  ExamplePayload,
  LOOP_HANDLERS,
  LoopArtifactStore,
  LoopLedgerStore,
  ModelRolesStore,
  LoopStateStore,
  TrainHandler,
} from '../src';
import { migratedDataSource } from './prepare-stage-fixtures';

const EXAMPLES = 800;

/** Examples tagged epoch 2 (epoch 1's predictions joined with their labels), from a synthetic scenario. */
function examples(seed: string): ExamplePayload[] {
  const { transactions, outcomes } = generateFraudScenario({ seed, transactionCount: EXAMPLES });
  const labels = new Map(outcomes.map((o) => [o.eventId, o.label === 'fraud' ? 1 : 0] as const));
  return buildFeatureRows(FRAUD_FEATURES_V1, transactions, outcomes).map((row) => ({
    eventId: row.eventId,
    epoch: 2,
    values: row.values,
    label: labels.get(row.eventId)!,
    score: 0.03,
    modelVersion: null,
  }));
}

describe('the train stage when its trainer dies mid-epoch', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let dataSource: DataSource;
  let storage: S3Storage;
  const fixture = useStageFixture();

  beforeAll(async () => {
    database = await createFreshDatabase();
    dataSource = await migratedDataSource(database.url);
    const settings = testS3Settings();
    storage = new S3Storage(settings);
    await storage.ensureBucket(settings.buckets.models);
    await storage.ensureBucket(settings.buckets.datasets);
  });

  afterAll(async () => {
    storage?.onModuleDestroy();
    await dataSource?.destroy();
    await database?.drop();
  });

  it("lets another worker re-claim the epoch once the dead trainer's lease runs out, and trains it once", async () => {
    const pipeline = uniqueName('trainer-crash');
    const prefix = uniqueName('tc');
    const topicOf = fixture.topicOf(prefix);
    const stage = testStage({
      name: 'train',
      handler: LOOP_HANDLERS.train,
      input: { stream: 'examples' },
      outputs: ['model-updates'],
      concurrency: 4,
      retry: { maxAttempts: 50, initialBackoffMs: 200, maxBackoffMs: 1000 },
      parameters: {
        output: 'model-updates',
        minExamples: EXAMPLES,
        seed: pipeline,
        trainingLeaseSeconds: 3,
      },
    });
    await new LoopStateStore(dataSource).currentEpoch(pipeline); // epoch 1 open, as prepare leaves it
    const ledger = new LoopLedgerStore(dataSource);
    const artifacts = new LoopArtifactStore(storage);
    // The first trainer to reach the model write stops there for good: a process that died mid-training.
    let trainerDied: string | undefined;
    const workerArtifacts = (worker: string): LoopArtifactStore =>
      Object.assign(Object.create(artifacts) as LoopArtifactStore, {
        writeModel: (p: string, version: number, artifact: string) => {
          if (trainerDied !== undefined) return artifacts.writeModel(p, version, artifact);
          trainerDied = worker;
          return new Promise<never>(() => undefined);
        },
      });
    const workers = new Map<string, { client: Client; runner: StageRunner }>();
    for (const worker of ['a', 'b']) {
      const client = fixture.newClient();
      const runner = fixture.runner({
        client,
        prefix,
        pipeline,
        stage,
        handler: new TrainHandler(ledger, workerArtifacts(worker), new ModelRolesStore(dataSource)),
      });
      workers.set(worker, { client, runner });
    }
    const observer = fixture.client;
    const updates = await collect(observer, topicOf('model-updates'));
    const producer = await observer.createProducer({ topic: topicOf('examples'), batchingEnabled: false });
    await Promise.all(
      examples(pipeline).map((example) =>
        producer.send({
          data: Buffer.from(JSON.stringify(example)),
          properties: { [EVENT_PROPERTIES.eventId]: `ex-${example.eventId}`, [EVENT_PROPERTIES.epoch]: '2' },
        }),
      ),
    );
    await producer.close();

    for (const { runner } of workers.values()) await runner.start();
    const dead = await waitFor(() => trainerDied, { timeoutMs: 60_000, description: 'a trainer to start' });
    const claimedAt = Date.now();
    // Its connection goes: the broker redelivers what it held, the claim in Postgres stays behind.
    await workers.get(dead)!.client.close();

    await waitFor(() => countById(updates.messages).size === 1, {
      timeoutMs: 90_000,
      description: 'the model update of the re-claimed epoch',
    });
    // Not before the dead trainer's 3 s lease ran out (the claim was taken shortly before claimedAt).
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(1_500);
    const versions = (await dataSource.query(
      `SELECT version, epoch FROM gyre_loop_model_versions WHERE pipeline = $1`,
      [pipeline],
    )) as { version: number; epoch: number }[];
    expect(versions).toEqual([{ version: 1, epoch: 1 }]);
    const epochs = (await dataSource.query(
      `SELECT epoch, state, trained_model_version FROM gyre_loop_epochs WHERE pipeline = $1 ORDER BY epoch`,
      [pipeline],
    )) as { epoch: number; state: string; trained_model_version: number | null }[];
    expect(epochs).toEqual([
      { epoch: 1, state: 'closed', trained_model_version: 1 },
      { epoch: 2, state: 'open', trained_model_version: null },
    ]);
    expect(JSON.parse(updates.messages[0].getData().toString())).toMatchObject({ version: 1, epoch: 1 });
  });
});
