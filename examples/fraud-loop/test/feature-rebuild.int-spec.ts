import type { INestApplication } from '@nestjs/common';
import { applyPendingMigrations, createGyreDataSource } from '@gyre/database';
import {
  buildFeatureRows,
  CardTransaction,
  FRAUD_FEATURES_V1,
  FRAUD_FEATURES_V2,
  generateFraudScenario,
  TransactionOutcome,
} from '@gyre/ml';
import { PipelineService } from '@gyre/pipelines';
import {
  REFERENCE_LOOP_MIGRATIONS,
  referenceLoopDefinition,
  referenceLoopStreams,
  referenceLoopWorkers,
} from '../src';
import { Client, MessageId } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { FeatureVersionService, ReplayJobView, ReplayService } from '@gyre/replay';
import { decodeParquetDataset, S3Storage } from '@gyre/storage';
import { StreamCatalog } from '@gyre/streams';
import { DataSource } from 'typeorm';
import {
  createFreshDatabase,
  freePort,
  testLogger,
  testPulsarClient,
  uniqueName,
  waitFor,
} from '../../../tools/testing';
import { provisionTestNamespace } from '../../../tools/testing/stages';
import { createWorkersApp } from '../../../apps/workers/src/workers-app';

const FAST_REPLAY = { leaseMs: 2000, pollIntervalMs: 200, checkpointIntervalMs: 200, exportPartEvents: 40 };

/** Live feature vectors of a pipeline (or a rebuild's scope), by event id. */
async function featureRows(dataSource: DataSource, scope: string): Promise<Map<string, number[]>> {
  const rows = (await dataSource.query(
    `SELECT event_id, "values" FROM gyre_loop_feature_rows WHERE pipeline = $1`,
    [scope],
  )) as Array<{ event_id: string; values: number[] }>;
  return new Map(rows.map((row) => [row.event_id, row.values]));
}

/** Every event of a stream, as parsed JSON, from every partition. */
async function readFeatures(client: Client, topic: string) {
  const read: Array<{ eventId: string; featureDefinition: string; values: number[]; id: string }> = [];
  for (const partition of await client.getPartitionsForTopic(topic)) {
    const reader = await client.createReader({ topic: partition, startMessageId: MessageId.earliest() });
    while (await reader.hasMessageAvailable()) {
      const message = await reader.readNext(10_000);
      read.push({
        ...JSON.parse(message.getData().toString('utf8')),
        id: message.getProperties()['gyre-event-id'],
      });
    }
    await reader.close();
  }
  return read;
}

describe('feature rebuilds on the real stack', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let app: INestApplication;
  let client: Client;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createFreshDatabase();
    const migrator = await createGyreDataSource(
      { database: { url: database.url, embeddedPort: 0 } },
      { applicationName: 'gyre-test', migrations: REFERENCE_LOOP_MIGRATIONS },
    ).initialize();
    await applyPendingMigrations(migrator);
    await migrator.destroy();
    const namespace = await provisionTestNamespace();
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      GYRE_TENANT: 'gyre-it',
      GYRE_NAMESPACE: namespace.name.split('/')[1] ?? namespace.name,
      WORKERS_PORT: String(await freePort()),
      API_PORT: String(await freePort()),
      WORKERS_PIPELINE_POLL_INTERVAL_MS: '300',
    };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    try {
      app = await createWorkersApp(testLogger('error'), {
        extensions: [referenceLoopWorkers],
        replay: FAST_REPLAY,
      });
      await app.init();
    } finally {
      for (const [key, value] of Object.entries(saved))
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
    dataSource = app.get(DataSource);
    client = testPulsarClient();
  });
  afterAll(async () => {
    await app?.close();
    await client?.close();
    await database?.drop();
  });

  it('reproduces the live features exactly, ignores labels reported after an event, rebuilds a new version beside the live one and switches to it in one call', async () => {
    const catalog = app.get(StreamCatalog, { strict: false });
    const streams = referenceLoopStreams(`${uniqueName('rb')}-`);
    for (const [role, name] of Object.entries(streams))
      await catalog.create(
        {
          name,
          ownerTeam: 'ml',
          partitions: role === 'transactions' || role === 'features' ? 2 : 1,
          schema: { type: 'object' },
        },
        'it',
      );
    const pipeline = uniqueName('rebuild');
    // Training never triggers: this test is about features.
    await app
      .get(PipelineService, { strict: false })
      .save(
        pipeline,
        referenceLoopDefinition(streams, { minExamples: 1_000_000, seed: 'it', concurrency: 4 }),
      );
    const scenario = generateFraudScenario({
      seed: 'it-rebuild',
      transactionCount: 160,
      cardCount: 8,
      durationMs: 2 * 86_400_000,
    });
    const transactions: CardTransaction[] = scenario.transactions;
    // Every label arrives before the live stage sees any transaction, including those reported long after
    // the transactions they would otherwise influence: point in time means they must not count for those.
    const labels: TransactionOutcome[] = scenario.outcomes;
    const publish = async (stream: string, events: Array<{ key: string; payload: unknown }>) => {
      const producer = await client.createProducer({ topic: (await catalog.describe(stream)).topic });
      for (const event of events)
        await producer.send({
          data: Buffer.from(JSON.stringify(event.payload)),
          partitionKey: event.key,
          properties: { 'gyre-event-id': (event.payload as { eventId: string }).eventId },
        });
      await producer.close();
    };
    await publish(
      streams.labels,
      labels.map((label) => ({ key: label.eventId, payload: label })),
    );
    await waitFor(
      async () => {
        const [{ count }] = (await dataSource.query(
          `SELECT count(*)::int AS count FROM gyre_loop_labels WHERE pipeline = $1`,
          [pipeline],
        )) as Array<{ count: number }>;
        return count === labels.length ? true : undefined;
      },
      { timeoutMs: 60_000, description: 'the live loop to record every label' },
    );
    await publish(
      streams.transactions,
      transactions.map((tx) => ({ key: tx.cardId, payload: tx })),
    );
    const live = await waitFor(
      async () => {
        const rows = await featureRows(dataSource, pipeline);
        return rows.size === transactions.length ? rows : undefined;
      },
      { timeoutMs: 90_000, description: 'the live prepare stage to compute every transaction' },
    );

    // Point in time, checked against the offline computation that applies each label only once known.
    const offline = buildFeatureRows(FRAUD_FEATURES_V1, transactions, labels);
    for (const row of offline) expect(live.get(row.eventId)).toEqual(row.values);
    // And a label reported after every transaction, arriving now, changes nothing in a replay.
    const late = {
      ...labels[0],
      eventId: 'late-label',
      label: 'fraud' as const,
      reportedAt: Date.now() + 86_400_000,
    };
    await publish(streams.labels, [{ key: late.eventId, payload: late }]);
    await waitFor(
      async () =>
        (
          (await dataSource.query(
            `SELECT 1 FROM gyre_loop_labels WHERE pipeline = $1 AND event_id = 'late-label'`,
            [pipeline],
          )) as unknown[]
        ).length === 1 || undefined,
      { timeoutMs: 30_000, description: 'the late label to be recorded' },
    );

    const replays = app.get(ReplayService, { strict: false });
    const rebuild = async (featureDefinition: string, output?: string) => {
      const job = await replays.create(
        {
          source: streams.transactions,
          start: { kind: 'earliest' },
          end: { kind: 'lastAtStart' },
          target: {
            kind: 'pipelineStage',
            pipeline,
            stage: 'prepare',
            featureDefinition,
            ...(output ? { output } : {}),
          },
        },
        'it',
      );
      return waitFor<ReplayJobView>(
        async () => {
          const view = await replays.get(job.id);
          if (view.state === 'failed') throw new Error(`rebuild failed: ${JSON.stringify(view.error)}`);
          return view.state === 'completed' ? view : undefined;
        },
        { timeoutMs: 90_000, description: `the ${featureDefinition} rebuild to complete` },
      );
    };

    const sameVersion = await rebuild('fraud.card-features@1', `${streams.features}.v1-replayed`);
    const replayed = await readFeatures(
      client,
      (await catalog.describe(`${streams.features}.v1-replayed`)).topic,
    );
    expect(replayed).toHaveLength(transactions.length);
    for (const event of replayed) expect(event.values).toEqual(live.get(event.eventId));
    expect(sameVersion.events).toBe(transactions.length);

    const v2 = await rebuild('fraud.card-features@2');
    const v2Features = await readFeatures(client, (await catalog.describe(`${streams.features}.v2`)).topic);
    expect(v2Features).toHaveLength(transactions.length);
    expect(new Set(v2Features.map((event) => event.id)).size).toBe(transactions.length);
    const offlineV2 = new Map(
      buildFeatureRows(FRAUD_FEATURES_V2, transactions, labels).map((row) => [row.eventId, row.values]),
    );
    for (const event of v2Features) {
      expect(event.featureDefinition).toBe('fraud.card-features@2');
      expect(event.values).toEqual(offlineV2.get(event.eventId));
    }
    // The live stage kept its own state and version meanwhile.
    expect(await featureRows(dataSource, pipeline)).toEqual(live);

    const dataset = await replays.dataset(v2.id);
    expect(dataset).toMatchObject({ state: 'complete', rowCount: transactions.length });
    const storage = app.get(S3Storage, { strict: false });
    const rows = [];
    for (const part of dataset.parts)
      rows.push(
        ...(await decodeParquetDataset(await storage.getObject(dataset.bucket, part.key), dataset.schema)),
      );
    expect(rows).toHaveLength(transactions.length);
    const labelOf = new Map(labels.map((label) => [label.eventId, label.label === 'fraud' ? 1 : 0]));
    for (const row of rows) {
      expect(FRAUD_FEATURES_V2.features.map((name) => row[name])).toEqual(
        offlineV2.get(String(row.event_id)),
      );
      expect(row.label).toBe(labelOf.get(String(row.event_id)) ?? null);
    }

    // The workers restart the stage when they see the new pipeline version: its consumers change.
    const admin = app.get(PulsarAdmin, { strict: false });
    const transactionsTopic = (await catalog.describe(streams.transactions)).topic;
    const prepareConsumers = async () => {
      const stats = await admin.topicStatsDetail(`${transactionsTopic}-partition-0`);
      return (stats.subscriptions['loop.prepare']?.consumers ?? [])
        .map((consumer) => `${consumer.consumerName}@${consumer.connectedSince}`)
        .sort()
        .join(',');
    };
    const consumersBefore = await prepareConsumers();
    const switched = await app
      .get(FeatureVersionService, { strict: false })
      .switch(pipeline, { featureDefinition: 'fraud.card-features@2', stage: 'prepare' }, 'it');
    expect(switched).toMatchObject({
      stage: 'prepare',
      featureDefinition: 'fraud.card-features@2',
      previous: null,
    });
    await waitFor(
      async () => {
        const consumers = await prepareConsumers();
        return consumers !== '' && consumers !== consumersBefore ? true : undefined;
      },
      { timeoutMs: 30_000, description: 'the workers to restart prepare with the new definition' },
    );
    const last = transactions[transactions.length - 1];
    const next = { ...last, eventId: 'after-switch', timestamp: last.timestamp + 60_000 };
    await publish(streams.transactions, [{ key: next.cardId, payload: next }]);
    const afterSwitch = await waitFor(
      async () => (await featureRows(dataSource, pipeline)).get('after-switch'),
      { timeoutMs: 60_000, description: 'the live stage to compute a transaction with version 2' },
    );
    expect(afterSwitch).toHaveLength(FRAUD_FEATURES_V2.features.length);
  });
});
