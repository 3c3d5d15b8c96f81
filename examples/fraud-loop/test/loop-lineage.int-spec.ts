import type { INestApplication } from '@nestjs/common';
import { FRAUD_FEATURES_V1 } from '@gyre/ml';
import { DataSource } from 'typeorm';
import { clientAs, TestKey } from '../../../apps/api/test/auth-helpers';
import { uniqueName } from '../../../tools/testing';
import { LoopLedgerStore } from '../src';
import {
  modelVersionFixture,
  recordPredictionFixture,
  recordTrainedEpochs,
  SCORED_TRANSACTION,
} from './loop-ledger-fixtures';

import { startLoopApi } from './loop-api-fixture';

const PROBLEM = /^application\/problem\+json/;

describe("the fraud loop's lineage routes in the API", () => {
  let app: INestApplication;
  let operator: TestKey;
  const http = () => clientAs(app, operator);

  beforeAll(async () => {
    ({ app, operator } = await startLoopApi());
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the model version and the named features behind a prediction, and 404 for an unknown one', async () => {
    const pipeline = uniqueName('it-pipe-lineage');
    const dataSource = app.get(DataSource);
    const values = FRAUD_FEATURES_V1.features.map((_, i) => i / 10);
    const transaction = { eventId: 'tx-lineage-1', ...SCORED_TRANSACTION };
    await new LoopLedgerStore(dataSource).recordModelVersion(pipeline, modelVersionFixture(pipeline, 1));
    await recordPredictionFixture(dataSource, pipeline, {
      eventId: transaction.eventId,
      epoch: 2,
      modelVersion: 1,
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
      modelVersion: { version: 1, artifact: { checksum: 'sha256:v1' }, metrics: { auc: 0.9 } },
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

  it('lists every epoch with its live and held-out metrics, training time and S3 URIs, oldest first', async () => {
    const pipeline = uniqueName('it-epoch-list');
    await recordTrainedEpochs(app.get(DataSource), pipeline, [
      // The prior served epoch 1: it ranks these examples perfectly; version 1 served epoch 2 and ranks worse.
      { examples: [0.2, 0.3, 0.7, 0.9].map((score, i) => ({ score, label: i < 2 ? 0 : 1 })) },
      {
        examples: [0.6, 0.3, 0.4, 0.8].map((score, i) => ({ score, label: i < 2 ? 0 : 1 })),
        metrics: { auc: 0.75 },
      },
    ]);

    const { body } = await http().get(`/admin/epochs?pipeline=${pipeline}`).expect(200);

    expect(body.map((epoch: { epoch: number; state: string }) => [epoch.epoch, epoch.state])).toEqual([
      [1, 'closed'],
      [2, 'closed'],
      [3, 'open'],
    ]);
    const [first, second, third] = body;
    expect(first).toMatchObject({
      examples: 4,
      servedBy: null,
      live: { examples: 4, auc: 1 },
      trained: { version: 1, metrics: { auc: 0.9, ece: 0.02 } },
      dataset: { rowCount: 10, keys: [`${pipeline}/epoch-0001/training.parquet`] },
      datasetUris: [`s3://datasets/${pipeline}/epoch-0001/training.parquet`],
      modelUri: `s3://models/${pipeline}/v0001/model.json`,
    });
    expect(first.trainingSeconds).toBeGreaterThanOrEqual(0);
    expect(first.live.brier).toBeCloseTo((0.2 ** 2 + 0.3 ** 2 + 0.3 ** 2 + 0.1 ** 2) / 4);
    expect(second).toMatchObject({ servedBy: { version: 1 }, live: { auc: 0.75 }, trained: { version: 2 } });
    // Version 2 is the challenger (in shadow) until it is promoted: the champion, version 1, serves epoch 3.
    expect(third).toMatchObject({ servedBy: { version: 1 }, live: null, trained: null, modelUri: null });
    expect(third.trainingSeconds).toBeNull();
    expect(third.datasetUris).toEqual([]);
    // A version trained as an epoch closes comes in with the next one (one transaction, one time).
    expect(first.roleChanges).toEqual([]);
    expect(second.roleChanges).toMatchObject([{ version: 1, fromRole: null, toRole: 'champion' }]);
    expect(third.roleChanges).toMatchObject([{ version: 2, fromRole: null, toRole: 'challenger' }]);
    expect(first.scoredBy).toEqual([]);
  });

  it('lists no epoch for a pipeline the loop has not seen, and answers 400 without a pipeline', async () => {
    const { body } = await http()
      .get(`/admin/epochs?pipeline=${uniqueName('it-no-loop')}`)
      .expect(200);
    expect(body).toEqual([]);
    const missing = await http().get('/admin/epochs').expect(400);
    expect(missing.headers['content-type']).toMatch(PROBLEM);
  });
});
