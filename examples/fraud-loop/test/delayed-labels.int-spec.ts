import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { clientAs, TestKey } from '../../../apps/api/test/auth-helpers';
import { uniqueName } from '../../../tools/testing';
import { LoopLedgerStore, LoopStateStore } from '../src';

import { startLoopApi } from './loop-api-fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = 1_795_400_000_000;

describe('delayed labels in the fraud loop, on Postgres and the API', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let operator: TestKey;
  const http = () => clientAs(app, operator);

  beforeAll(async () => {
    ({ app, operator } = await startLoopApi());
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A transaction of `epoch` at `at` as prepare records it, scored `score` by infer, tagged as feedback does. */
  async function transact(pipeline: string, eventId: string, epoch: number, at: number, score: number) {
    const state = new LoopStateStore(dataSource);
    await state.currentEpoch(pipeline);
    await state.recordOnce(
      pipeline,
      {
        eventId,
        cardId: `card-${eventId}`,
        merchantId: 'm-1',
        merchantCategory: 'grocery',
        amount: 10,
        country: 'NL',
        timestamp: at,
      },
      () => ({ row: { epoch, values: [at / DAY] }, snapshot: {} }),
    );
    await state.recordPrediction(pipeline, {
      eventId,
      cardId: `card-${eventId}`,
      epoch,
      modelVersion: null,
      score,
      values: [at / DAY],
    });
  }

  /** The outcome of a transaction, known at `knownAt`, and the training example feedback emits for it. */
  async function label(
    pipeline: string,
    eventId: string,
    epoch: number,
    at: number,
    knownAt: number,
    fraud: 0 | 1,
  ) {
    await new LoopStateStore(dataSource).recordLabel(
      pipeline,
      {
        eventId,
        cardId: `card-${eventId}`,
        merchantId: 'm-1',
        merchantCategory: 'grocery',
        label: fraud ? 'fraud' : 'legit',
        source: fraud ? 'chargeback' : 'settled',
        transactionTime: at,
        reportedAt: knownAt,
      },
      fraud,
    );
    await new LoopLedgerStore(dataSource).addExample(pipeline, {
      eventId,
      epoch: epoch + 1,
      values: [at / DAY],
      label: fraud,
      score: 0.5,
      modelVersion: null,
    });
  }

  it("keeps a label out of an epoch's training set until its maturity, and counts it in the next one", async () => {
    const pipeline = uniqueName('it-label-cutoff');
    const ledger = new LoopLedgerStore(dataSource);
    await transact(pipeline, 'tx-a', 1, T0, 0.9);
    await transact(pipeline, 'tx-b', 1, T0 + DAY, 0.2);
    await transact(pipeline, 'tx-c', 2, T0 + 10 * DAY, 0.4);
    await label(pipeline, 'tx-a', 1, T0, T0 + 6 * HOUR, 1); // reported by the cardholder within the epoch
    await label(pipeline, 'tx-b', 1, T0 + DAY, T0 + 9 * DAY, 1); // a chargeback after the epoch ended
    await label(pipeline, 'tx-c', 2, T0 + 10 * DAY, T0 + 10 * DAY + HOUR, 0); // after epoch 2 ended

    const firstCutoff = await ledger.epochCutoff(pipeline, 1);
    const first = await ledger.examplesThrough(pipeline, 2, firstCutoff ?? undefined);
    const secondCutoff = await ledger.epochCutoff(pipeline, 2);
    const second = await ledger.examplesThrough(pipeline, 3, secondCutoff ?? undefined);
    const everything = await ledger.examplesThrough(pipeline, 3);
    // With epoch 1 as the labelled history (its examples are tagged 2), its late label counts at once.
    const withHistory = await ledger.examplesThrough(pipeline, 3, secondCutoff ?? undefined, 2);
    const firstWithHistory = await ledger.examplesThrough(pipeline, 2, firstCutoff ?? undefined, 2);
    // A training window of one epoch at epoch 2: only examples tagged 3 (epoch 2's predictions).
    const windowed = await ledger.examplesThrough(pipeline, 3, undefined, undefined, 3);

    expect([firstCutoff, secondCutoff]).toEqual([T0 + DAY, T0 + 10 * DAY]);
    expect(first.map((example) => example.eventId)).toEqual(['tx-a']);
    expect(second.map((example) => example.eventId)).toEqual(['tx-a', 'tx-b']);
    expect(everything.map((example) => example.eventId)).toEqual(['tx-a', 'tx-b', 'tx-c']);
    expect(firstWithHistory.map((example) => example.eventId)).toEqual(['tx-a', 'tx-b']);
    expect(withHistory.map((example) => example.eventId)).toEqual(['tx-a', 'tx-b']);
    expect(windowed.map((example) => example.eventId)).toEqual(['tx-c']);
  });

  it('reports live metrics by label maturity; a late label updates its epoch without changing its features', async () => {
    const pipeline = uniqueName('it-label-maturity');
    await transact(pipeline, 'tx-fraud', 1, T0, 0.9);
    await transact(pipeline, 'tx-legit', 1, T0, 0.3);
    await transact(pipeline, 'tx-late', 1, T0 + DAY, 0.6);
    await label(pipeline, 'tx-fraud', 1, T0, T0 + 6 * HOUR, 1);
    await label(pipeline, 'tx-legit', 1, T0, T0 + 3 * DAY, 0);
    const featuresOf = async () =>
      (await dataSource.query(
        `SELECT "values", epoch, event_time::float8 AS event_time FROM gyre_loop_feature_rows
          WHERE pipeline = $1 AND event_id = 'tx-late'`,
        [pipeline],
      )) as unknown[];
    const featuresBefore = await featuresOf();

    const before = await http().get(`/admin/pipelines/${pipeline}/label-maturity`).expect(200);
    await label(pipeline, 'tx-late', 1, T0 + DAY, T0 + 12 * DAY, 0); // settles after the 7-day horizon
    const after = await http().get(`/admin/pipelines/${pipeline}/label-maturity`).expect(200);

    expect(before.body).toMatchObject([
      {
        epoch: 1,
        events: 3,
        horizons: {
          '1d': { labelled: 1, positives: 1, auc: null },
          '7d': { labelled: 2, auc: 1 },
          final: { labelled: 2, auc: 1 },
        },
      },
    ]);
    expect(after.body[0].horizons['7d']).toEqual(before.body[0].horizons['7d']);
    expect(after.body[0].horizons.final).toMatchObject({ labelled: 3, share: 1, positives: 1, auc: 1 });
    expect(after.body[0].horizons.final.logLoss).toBeGreaterThan(before.body[0].horizons.final.logLoss);
    expect(await featuresOf()).toEqual(featuresBefore);
    await http()
      .get(`/admin/pipelines/${uniqueName('it-no-loop')}/label-maturity`)
      .expect(200, []);
  });
});
