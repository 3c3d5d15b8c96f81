import type { INestApplication } from '@nestjs/common';
import { FRAUD_FEATURES_V1 } from '@gyre/ml';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../../apps/api/src/api-app';
import { clientAs, issueKey, TestKey } from '../../../apps/api/test/auth-helpers';
import { testLogger, uniqueName } from '../../../tools/testing';
import { LoopLedgerStore, LoopStateStore, REFERENCE_LOOP_MIGRATIONS, ReferenceLoopApiModule } from '../src';

const PROBLEM = /^application\/problem\+json/;

describe("the fraud loop's lineage routes in the API", () => {
  let app: INestApplication;
  let operator: TestKey;
  const http = () => clientAs(app, operator);

  beforeAll(async () => {
    app = await createApiApp(testLogger('error'), {
      extensions: [ReferenceLoopApiModule],
      migrations: REFERENCE_LOOP_MIGRATIONS,
    });
    operator = await issueKey(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the model version and the named features behind a prediction, and 404 for an unknown one', async () => {
    const pipeline = uniqueName('it-pipe-lineage');
    const dataSource = app.get(DataSource);
    const state = new LoopStateStore(dataSource);
    await state.currentEpoch(pipeline);
    const values = FRAUD_FEATURES_V1.features.map((_, i) => i / 10);
    const transaction = {
      eventId: 'tx-lineage-1',
      cardId: 'card-1',
      merchantId: 'm-1',
      merchantCategory: 'grocery',
      amount: 12.5,
      country: 'NL',
      timestamp: 1_795_400_000_000,
    };
    await state.recordOnce(pipeline, transaction, () => ({ row: { epoch: 2, values }, snapshot: {} }));
    await new LoopLedgerStore(dataSource).recordModelVersion(pipeline, {
      version: 1,
      epoch: 1,
      artifact: { bucket: 'models', key: `${pipeline}/v0001/model.json`, checksum: 'sha256:abc' },
      dataset: {
        bucket: 'datasets',
        key: `${pipeline}/epoch-0001/training.parquet`,
        rowCount: 10,
        checksum: 'def',
        sizeBytes: 100,
        schema: [],
        metadata: {},
      },
      metrics: { examples: 10, positives: 2, auc: 0.9, logLoss: 0.1, brier: 0.05, ece: 0.02 },
      training: {},
    });
    await state.recordPrediction(pipeline, {
      eventId: transaction.eventId,
      cardId: 'card-1',
      epoch: 2,
      modelVersion: 1,
      model: 'fraud-v1',
      featureDefinition: 'fraud.card-features@1',
      score: 0.42,
      values,
    });

    const lineage = await http()
      .get(`/admin/pipelines/${pipeline}/predictions/${transaction.eventId}/lineage`)
      .expect(200);

    expect(lineage.body).toMatchObject({
      eventId: transaction.eventId,
      epoch: 2,
      score: 0.42,
      model: 'fraud-v1',
      modelVersion: { version: 1, artifact: { checksum: 'sha256:abc' }, metrics: { auc: 0.9 } },
      features: { definition: 'fraud.card-features@1', eventTime: transaction.timestamp },
      label: null,
    });
    expect(Object.keys(lineage.body.features.values)).toEqual([...FRAUD_FEATURES_V1.features]);
    expect(lineage.body.features.values[FRAUD_FEATURES_V1.features[3]]).toBeCloseTo(0.3);
    const unknown = await http().get(`/admin/pipelines/${pipeline}/predictions/tx-none/lineage`).expect(404);
    expect(unknown.headers['content-type']).toMatch(PROBLEM);
  });

  it('answers 404 for an epoch the loop has not recorded, and 400 without a pipeline', async () => {
    const pipeline = uniqueName('it-epoch-lineage');
    const unknown = await http().get(`/admin/epochs/1/lineage?pipeline=${pipeline}`).expect(404);
    expect(unknown.headers['content-type']).toMatch(PROBLEM);
    await http().get('/admin/epochs/1/lineage').expect(400);
  });
});
