import type { INestApplication } from '@nestjs/common';
import { serializeModel } from '@gyre/ml';
import { S3Storage } from '@gyre/storage';
import { DataSource } from 'typeorm';
import { clientAs, TestKey } from '../../../apps/api/test/auth-helpers';
import { testS3Settings, uniqueName } from '../../../tools/testing';
import { twoFeatureModel } from '../../../tools/testing/model-server';
import {
  DEFAULT_PROMOTION_POLICY,
  ExamplePayload,
  InferHandler,
  LoopArtifactStore,
  LoopLedgerStore,
  LoopStateStore,
  ModelRolesStore,
  PredictionPayload,
  ServingModels,
  TrainHandler,
} from '../src';
import { loopContext, loopEvent } from '../src/spec-fixtures';
import { challengerWins, modelVersionFixture, recordShadowedOutcomes } from './loop-ledger-fixtures';

import { startLoopApi } from './loop-api-fixture';

const PROBLEM = /^application\/problem\+json/;

describe('champion and challenger of the fraud loop, on Postgres, S3 and the API', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let storage: S3Storage;
  let operator: TestKey;
  const http = () => clientAs(app, operator);

  beforeAll(async () => {
    ({ app, operator } = await startLoopApi());
    dataSource = app.get(DataSource);
    const settings = testS3Settings();
    storage = new S3Storage(settings);
    await storage.ensureBucket(settings.buckets.models);
  });
  afterAll(async () => {
    storage?.onModuleDestroy();
    await app?.close();
  });

  /** Versions 1..n as train records them (v1 champion, the newest challenger), each with a real artifact in S3. */
  async function trainVersions(pipeline: string, count: number): Promise<void> {
    const artifacts = new LoopArtifactStore(storage);
    const ledger = new LoopLedgerStore(dataSource);
    await new LoopStateStore(dataSource).currentEpoch(pipeline);
    for (let version = 1; version <= count; version += 1) {
      // A bias per version, so each version's score of the same features differs.
      const text = serializeModel({ ...twoFeatureModel(), bias: -4 + version });
      const stored = await artifacts.writeModel(pipeline, version, text);
      const fixture = modelVersionFixture(pipeline, version);
      const checksum = (JSON.parse(text) as { checksum: string }).checksum;
      await ledger.recordModelVersion(pipeline, { ...fixture, artifact: { ...stored, checksum } });
    }
  }

  const roles = () => new ModelRolesStore(dataSource);
  const auditOf = async (pipeline: string) =>
    (await dataSource.query(
      `SELECT actor, action, target FROM gyre_audit_log WHERE target LIKE $1 ORDER BY id`,
      [`pipeline/${pipeline}/%`],
    )) as { actor: string; action: string; target: string }[];

  it("serves the champion and records the challenger's score of the same event in shadow", async () => {
    const pipeline = uniqueName('it-shadow');
    await trainVersions(pipeline, 2);
    const infer = new InferHandler(new ServingModels(roles(), new LoopArtifactStore(storage), 0));
    const features = {
      eventId: 'tx-shadow-1',
      cardId: 'card-1',
      timestamp: 1_795_400_000_000,
      epoch: 3,
      featureDefinition: 'fraud.card-features@1',
      values: [4, 2],
    };

    const [output] = await infer.handle(loopEvent(features), { ...loopContext(), pipeline });
    await new LoopStateStore(dataSource).recordPrediction(pipeline, output.payload);

    const [join] = (await dataSource.query(
      `SELECT prediction FROM gyre_loop_joins WHERE pipeline = $1 AND event_id = 'tx-shadow-1'`,
      [pipeline],
    )) as { prediction: PredictionPayload }[];
    expect(join.prediction).toMatchObject({
      modelVersion: 1,
      model: 'fraud-v1',
      shadow: { modelVersion: 2, model: 'fraud-v2' },
    });
    // v2's bias is one higher: its shadow score of the same features is higher than the served one.
    expect(join.prediction.shadow!.score).toBeGreaterThan(join.prediction.score);
    const view = await http().get(`/admin/pipelines/${pipeline}/models`).expect(200);
    expect(view.body.versions.map((v: { role: string }) => v.role)).toEqual(['champion', 'challenger']);
  });

  it('promotes automatically once the challenger wins on enough matured events, once under two deciders', async () => {
    const pipeline = uniqueName('it-auto-promote');
    await trainVersions(pipeline, 2);
    await recordShadowedOutcomes(dataSource, pipeline, challengerWins(1, 2, 8));
    const policy = { ...DEFAULT_PROMOTION_POLICY, minMaturedEvents: 8 };

    expect(await roles().autoPromote(pipeline, { ...policy, minMaturedEvents: 9 })).toMatchObject({
      promoted: false,
      reason: '8 matured events of the 9 needed',
    });
    expect(await roles().autoPromote(pipeline, { ...policy, mode: 'manual' })).toMatchObject({
      promoted: false,
    });
    // Two workers deciding at once (separate transactions): one promotes, the other finds no challenger.
    const decisions = await Promise.all([
      roles().autoPromote(pipeline, policy),
      roles().autoPromote(pipeline, policy),
    ]);

    expect(decisions.map((d) => d.promoted).sort()).toEqual([false, true]);
    const view = await http().get(`/admin/pipelines/${pipeline}/models`).expect(200);
    expect(view.body.versions.map((v: { role: string }) => v.role)).toEqual(['retired', 'champion']);
    expect(view.body.comparison).toBeNull();
    const promotion = view.body.changes.filter((c: { actor: string }) => c.actor === 'gyre:auto-promotion');
    expect(promotion).toMatchObject([
      { version: 1, fromRole: 'champion', toRole: 'retired' },
      {
        version: 2,
        fromRole: 'challenger',
        toRole: 'champion',
        comparison: { maturedEvents: 8, positives: 2 },
      },
    ]);
    expect((await auditOf(pipeline)).map((entry) => entry.action)).toEqual([
      'model.trained',
      'model.trained',
      'model.auto-promote',
    ]);
    expect((await roles().serving(pipeline)).champion?.version).toBe(2);
  });

  it("train checks the challenger as matured events come in, under the pipeline's promotion setting", async () => {
    const pipeline = uniqueName('it-train-promotes');
    await trainVersions(pipeline, 2);
    await recordShadowedOutcomes(dataSource, pipeline, challengerWins(1, 2, 8));
    const train = new TrainHandler(new LoopLedgerStore(dataSource), new LoopArtifactStore(storage), roles());
    const example: ExamplePayload = {
      eventId: 'tx-train-check',
      epoch: 4,
      values: [1],
      label: 0,
      score: 0.1,
      modelVersion: 1,
    };
    const context = (mode: string) => ({
      ...loopContext({ minExamples: 1000, promotion: { mode, minMaturedEvents: 8, checkEvery: 1 } }),
      pipeline,
    });

    await train.handle(loopEvent(example, 'ex-manual'), context('manual'));
    expect((await roles().serving(pipeline)).champion?.version).toBe(1);
    await train.handle(loopEvent(example, 'ex-auto'), context('auto'));

    expect(await roles().serving(pipeline)).toEqual({ champion: expect.objectContaining({ version: 2 }) });
  });

  it('makes a version trained on the labelled history the champion at once, and lists the change in its epoch', async () => {
    const pipeline = uniqueName('it-history');
    const ledger = new LoopLedgerStore(dataSource);
    await new LoopStateStore(dataSource).currentEpoch(pipeline);
    for (const version of [1, 2, 3])
      await ledger.recordModelVersion(pipeline, {
        ...modelVersionFixture(pipeline, version),
        onHistory: version <= 2,
      });

    const view = await roles().view(pipeline);
    const { body } = await http().get(`/admin/epochs?pipeline=${pipeline}`).expect(200);

    expect(view.versions.map((v) => [v.version, v.role])).toEqual([
      [1, 'retired'],
      [2, 'champion'],
      [3, 'challenger'],
    ]);
    expect(body[2].roleChanges).toMatchObject([
      { version: 1, fromRole: 'champion', toRole: 'retired' },
      { version: 2, fromRole: null, toRole: 'champion', reason: expect.stringContaining('labelled history') },
    ]);
    expect(body[3].roleChanges).toMatchObject([{ version: 3, fromRole: null, toRole: 'challenger' }]);
  });

  it('leaves a losing challenger in shadow', async () => {
    const pipeline = uniqueName('it-no-promote');
    await trainVersions(pipeline, 2);
    // The same events with the parts swapped: the champion wins.
    const outcomes = challengerWins(1, 2, 8).map((o) => ({
      ...o,
      champion: { version: 1, score: o.challenger.score },
      challenger: { version: 2, score: o.champion.score },
    }));
    await recordShadowedOutcomes(dataSource, pipeline, outcomes);

    const decision = await roles().autoPromote(pipeline, {
      ...DEFAULT_PROMOTION_POLICY,
      minMaturedEvents: 8,
    });

    expect(decision.promoted).toBe(false);
    expect(decision.reason).toMatch(/does not beat the margin 0/);
    expect(await roles().serving(pipeline)).toMatchObject({
      champion: { version: 1 },
      challenger: { version: 2 },
    });
  });

  it("promotes by an admin call, audited with the admin's key, and answers a repeat, a retired and an unknown version", async () => {
    const pipeline = uniqueName('it-manual-promote');
    await trainVersions(pipeline, 3);
    await recordShadowedOutcomes(dataSource, pipeline, challengerWins(1, 3, 4));

    const promoted = await http().post(`/admin/pipelines/${pipeline}/models/3:promote`).expect(200);
    const repeated = await http().post(`/admin/pipelines/${pipeline}/models/3:promote`).expect(200);
    const retired = await http().post(`/admin/pipelines/${pipeline}/models/2:promote`).expect(409);
    const unknown = await http().post(`/admin/pipelines/${pipeline}/models/9:promote`).expect(404);

    expect(promoted.body).toMatchObject({
      changed: true,
      champion: 3,
      challenger: null,
      comparison: { champion: 1, challenger: 3, maturedEvents: 4 },
    });
    expect(repeated.body).toMatchObject({ changed: false, champion: 3 });
    expect(retired.headers['content-type']).toMatch(PROBLEM);
    expect(retired.body).toMatchObject({ status: 409, title: 'Model role change not allowed' });
    expect(unknown.headers['content-type']).toMatch(PROBLEM);
    expect((await auditOf(pipeline)).slice(-1)).toEqual([
      { actor: operator.id, action: 'model.promote', target: `pipeline/${pipeline}/model/3` },
    ]);
  });

  it('rolls back to any earlier version in one call; the challenger keeps its shadow role; not to a newer one', async () => {
    const pipeline = uniqueName('it-rollback');
    await trainVersions(pipeline, 2);
    await http().post(`/admin/pipelines/${pipeline}/models/2:promote`).expect(200);
    await trainVersions(pipeline, 3); // v1, v2 already recorded keep their roles; v3 becomes the challenger
    const serving = new ServingModels(roles(), new LoopArtifactStore(storage), 0);
    expect((await serving.current(pipeline))?.version).toBe(2);

    const back = await http().post(`/admin/pipelines/${pipeline}/models/1:rollback`).expect(200);
    const newer = await http().post(`/admin/pipelines/${pipeline}/models/3:rollback`).expect(409);

    expect(back.body).toMatchObject({ changed: true, champion: 1, challenger: 3 });
    expect(newer.headers['content-type']).toMatch(PROBLEM);
    const now = await serving.current(pipeline);
    expect([now?.version, now?.scorer.modelVersion, now?.challenger?.version]).toEqual([1, 'fraud-v1', 3]);
    const view = await http().get(`/admin/pipelines/${pipeline}/models`).expect(200);
    expect(view.body.versions.map((v: { role: string }) => v.role)).toEqual([
      'champion',
      'retired',
      'challenger',
    ]);
    expect(view.body.changes.slice(-2)).toMatchObject([
      { version: 2, fromRole: 'champion', toRole: 'retired', actor: operator.id },
      { version: 1, fromRole: 'retired', toRole: 'champion', reason: 'rolled back from v2 by an admin' },
    ]);
    expect((await auditOf(pipeline)).slice(-1)[0]).toMatchObject({ action: 'model.rollback' });
  });
});
