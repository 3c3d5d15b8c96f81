import type { INestApplication } from '@nestjs/common';
import { evaluate, FRAUD_FEATURES_V1, generateDriftingScenario } from '@gyre/ml';
import { S3Storage } from '@gyre/storage';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../../apps/api/src/api-app';
import { clientAs, issueKey, TestKey } from '../../../apps/api/test/auth-helpers';
import { JsonLogger } from '@gyre/logging';
import { testLogSink, uniqueName, waitFor } from '../../../tools/testing';
import {
  LoopMonitoringSchedule,
  MONITORING_ACTOR,
  REFERENCE_LOOP_MIGRATIONS,
  ReferenceLoopApiModule,
} from '../src';
import { InProcessLoop } from './loop-run-fixtures';

const PROBLEM = /^application\/problem\+json/;
const EVENTS_PER_EPOCH = 600;

/**
 * A small loop run (three epochs of a world with a sudden drift, through the real handlers on Postgres and
 * S3): version 1 trained on epoch 1 serves epochs 2 and 3; version 2 trained on epoch 2 (the attack's first)
 * is the challenger and scores epoch 3 in shadow; version 3 trained on epoch 3 closes it.
 */
describe("the fraud loop's model monitoring in the API", () => {
  let app: INestApplication;
  let operator: TestKey;
  let dataSource: DataSource;
  const pipeline = uniqueName('it-monitoring');
  const http = () => clientAs(app, operator);
  // The app's log lines (also written to the test's log), to find the structured line of a crossing.
  const logLines: string[] = [];
  let logger: JsonLogger;
  const auditOf = (action: string, target: string) =>
    dataSource.query(
      `SELECT actor, before, after FROM gyre_audit_log WHERE action = $1 AND target = $2 ORDER BY id`,
      [action, target],
    ) as Promise<{ actor: string; before: Record<string, unknown>; after: Record<string, unknown> }[]>;
  const crossingLines = () =>
    logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'model monitoring threshold crossed' && line.pipeline === pipeline);

  beforeAll(async () => {
    const sink = testLogSink();
    logger = new JsonLogger({
      level: 'warn',
      sink: { write: (line: string) => (logLines.push(line), sink.write(line)) },
    });
    app = await createApiApp(logger, {
      extensions: [ReferenceLoopApiModule],
      migrations: REFERENCE_LOOP_MIGRATIONS,
    });
    // The test drives the epoch-close check itself.
    await app.get(LoopMonitoringSchedule).stop();
    operator = await issueKey(app, 'admin');
    dataSource = app.get(DataSource);
    const storage = app.get(S3Storage);
    await storage.ensureBucket(storage.buckets.models);
    await storage.ensureBucket(storage.buckets.datasets);
    const epochs = generateDriftingScenario({
      seed: 'loop-monitoring-it',
      epochs: 3,
      eventsPerEpoch: EVENTS_PER_EPOCH,
      drift: 'sudden',
      attackEpoch: 2,
      fraudRate: 0.08,
    });
    const loop = new InProcessLoop(dataSource, storage, pipeline, {
      minExamples: EVENTS_PER_EPOCH,
      seed: 'it',
    });
    for (const [index, { transactions, outcomes }] of epochs.entries()) {
      const updates = await loop.run(transactions, outcomes);
      expect(updates.map((update) => update.payload.version)).toEqual([index + 1]);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it("reports version 1's drift against its training rows, its calibration and live AUC over epoch 2", async () => {
    const { body } = await http().get(`/admin/monitoring?pipeline=${pipeline}&window=epoch`).expect(200);

    // Epoch 1 was scored by the prior (no model version to monitor); epoch 3 has v2's shadow scores too.
    expect(body.models).toMatchObject([
      { epoch: 2, role: 'served', modelVersion: 1 },
      { epoch: 3, role: 'served', modelVersion: 1 },
      { epoch: 3, role: 'shadow', modelVersion: 2 },
    ]);
    const [v1] = body.models;
    expect(v1).toMatchObject({ modelVersion: 1, epoch: 2, predictions: EVENTS_PER_EPOCH });
    expect(v1.labelled).toBeGreaterThan(0);
    expect(v1.labelled).toBeLessThanOrEqual(EVENTS_PER_EPOCH);
    expect(v1.featureDrift.map((drift: { feature: string }) => drift.feature).sort()).toEqual(
      [...FRAUD_FEATURES_V1.features].sort(),
    );
    const psis = v1.featureDrift.map((drift: { psi: number }) => drift.psi);
    expect(psis).toEqual([...psis].sort((a, b) => b - a));
    expect(v1.featurePsiMax).toBe(psis[0]);
    expect(v1.predictionPsi).toBeGreaterThan(0);
    expect(v1.calibration.bins).toHaveLength(10);
    const binned = v1.calibration.bins.reduce((sum: number, bin: { count: number }) => sum + bin.count, 0);
    expect(binned).toBe(v1.labelled);
    expect(v1.calibration.ece).toBeGreaterThanOrEqual(0);
    // A model trained on the labelled past ranks the next epoch's fraud above chance, though the attack that
    // starts in epoch 2 is new to it (0.706 in this seeded, sequential run).
    expect(v1.live.auc).toBeGreaterThan(0.6);
    expect(v1.live.logLoss).toBeGreaterThan(0);
    expect(body.thresholds).toMatchObject({ featurePsi: 0.2, ece: 0.05 });

    const rolling = await http()
      .get(`/admin/monitoring/versions/1?pipeline=${pipeline}&window=rolling&size=100`)
      .expect(200);
    expect(rolling.body).toMatchObject({ window: 'rolling', size: 100 });
    expect(rolling.body.models).toHaveLength(1);
    expect(rolling.body.models[0]).toMatchObject({
      modelVersion: 1,
      role: 'served',
      epoch: null,
      predictions: 100,
    });
    // The latest 100 that v1 served, of epoch 3: they end where that epoch window ends.
    const servedEpoch3 = body.models[1];
    expect(rolling.body.models[0].eventTime.to).toBe(servedEpoch3.eventTime.to);
    expect(rolling.body.models[0].eventTime.from).toBeGreaterThan(servedEpoch3.eventTime.from);
  });

  it("reports the challenger's shadow scores of epoch 3 against its own training rows, beside the served ones", async () => {
    const { body } = await http().get(`/admin/monitoring?pipeline=${pipeline}&epoch=3`).expect(200);

    const [served, shadow] = body.models;
    expect(served).toMatchObject({ modelVersion: 1, role: 'served', epoch: 3 });
    expect(shadow).toMatchObject({
      modelVersion: 2,
      role: 'shadow',
      epoch: 3,
      // The same events as the served window: v2 scored each one v1 served.
      predictions: EVENTS_PER_EPOCH,
      labelled: served.labelled,
      positives: served.positives,
      eventTime: served.eventTime,
    });
    // Recomputed from the shadow scores as feedback stored them, without the monitoring code.
    const stored = (await dataSource.query(
      `SELECT (prediction->'shadow'->>'score')::float8 AS score, label FROM gyre_loop_joins
        WHERE pipeline = $1 AND (prediction->>'epoch')::int = 3 AND label IS NOT NULL
          AND (prediction->'shadow'->>'modelVersion')::int = 2`,
      [pipeline],
    )) as { score: number; label: number }[];
    expect(stored).toHaveLength(shadow.labelled);
    const expected = evaluate(
      stored.map((row) => row.score),
      stored.map((row) => row.label),
    );
    expect(shadow.live.auc).toBeCloseTo(expected.auc, 12);
    expect(shadow.live.logLoss).toBeCloseTo(expected.logLoss, 12);
    expect(shadow.calibration.ece).toBeCloseTo(expected.calibration.ece, 12);
    expect(shadow.calibration.bins.map((bin: { count: number }) => bin.count)).toEqual(
      expected.calibration.bins.map((bin) => bin.count),
    );
    // v2 learnt the attack from epoch 2: it ranks epoch 3's fraud better than v1, which never saw it.
    expect(shadow.live.auc).toBeGreaterThan(served.live.auc);
    // The same feature rows against v2's own training rows (epoch 2, the attack in it), not v1's (epoch 1):
    // other PSIs, and a smaller largest one.
    expect(shadow.featureDrift.map((drift: { feature: string }) => drift.feature).sort()).toEqual(
      [...FRAUD_FEATURES_V1.features].sort(),
    );
    expect(shadow.featurePsiMax).toBeLessThan(served.featurePsiMax);
    expect(shadow.predictionPsi).toBeGreaterThan(0);
    expect(shadow.predictionPsi).not.toBeCloseTo(served.predictionPsi, 6);

    // v2 never served: its own route has the shadow window only, and nothing for role=served.
    const v2 = await http().get(`/admin/monitoring/versions/2?pipeline=${pipeline}`).expect(200);
    expect(v2.body.models).toEqual([shadow]);
    const v2Served = await http()
      .get(`/admin/monitoring/versions/2?pipeline=${pipeline}&role=served`)
      .expect(200);
    expect(v2Served.body.models).toEqual([]);
    const rolling = await http()
      .get(`/admin/monitoring?pipeline=${pipeline}&window=rolling&role=shadow&size=100`)
      .expect(200);
    expect(rolling.body.models).toHaveLength(1);
    expect(rolling.body.models[0]).toMatchObject({
      modelVersion: 2,
      role: 'shadow',
      epoch: null,
      predictions: 100,
    });
    expect(rolling.body.models[0].eventTime.to).toBe(shadow.eventTime.to);
  });

  it('carries a dataset card in each epoch: rows, label rate, held-out share, feature summaries, time range', async () => {
    const { body } = await http().get(`/admin/epochs?pipeline=${pipeline}`).expect(200);

    const { card, rowCount } = body[0].dataset;
    expect(card).toMatchObject({ rows: rowCount, featureDefinition: 'fraud.card-features@1' });
    expect(card.labelRate).toBeCloseTo(card.positives / card.rows, 12);
    expect(card.heldOutShare).toBeCloseTo(card.heldOutRows / card.rows, 12);
    expect(card.heldOutShare).toBeGreaterThan(0.1);
    expect(card.heldOutShare).toBeLessThan(0.3);
    expect(card.features.map((feature: { name: string }) => feature.name)).toEqual([
      ...FRAUD_FEATURES_V1.features,
    ]);
    expect(
      card.features.every(
        (feature: { std: number; missing: number }) => feature.std >= 0 && feature.missing === 0,
      ),
    ).toBe(true);
    expect(card.eventTime.from).toBeLessThan(card.eventTime.to);
    const lineage = await http().get(`/admin/epochs/2/lineage?pipeline=${pipeline}`).expect(200);
    expect(lineage.body.dataset.card.rows).toBe(lineage.body.dataset.rowCount);
  });

  it('reports a crossed threshold once: a metric, an audit entry, and nothing new on the next evaluation', async () => {
    const changed = await http()
      .patch(`/admin/monitoring/thresholds?pipeline=${pipeline}`)
      .send({ featurePsi: 0.000001, minPredictions: 10 })
      .expect(200);
    expect(changed.body).toMatchObject({ featurePsi: 0.000001, minPredictions: 10, ece: 0.05 });
    const [update] = await auditOf('monitoring.thresholds.update', `pipeline/${pipeline}`);
    expect(update).toMatchObject({
      actor: operator.id,
      before: { featurePsi: 0.2 },
      after: { featurePsi: 0.000001 },
    });

    const first = await http().post(`/admin/monitoring/evaluations?pipeline=${pipeline}&epoch=2`).expect(200);

    const crossing = {
      modelVersion: 1,
      role: 'served',
      window: 'epoch:2',
      measure: 'featurePsi',
      threshold: 0.000001,
    };
    expect(first.body.crossed).toContainEqual(expect.objectContaining(crossing));
    const audited = await auditOf('monitoring.threshold.crossed', `pipeline/${pipeline}/model/v1`);
    const forEpoch2 = audited.filter(
      (entry) => entry.after.window === 'epoch:2' && entry.after.measure === 'featurePsi',
    );
    expect(forEpoch2).toHaveLength(1);
    expect(forEpoch2[0]).toMatchObject({
      actor: MONITORING_ACTOR,
      after: { crossed: true, role: 'served', threshold: 0.000001 },
    });
    const logged = crossingLines();
    expect(logged.filter((line) => line.window === 'epoch:2' && line.measure === 'featurePsi')).toEqual([
      expect.objectContaining({
        level: 'warn',
        modelVersion: 1,
        role: 'served',
        threshold: 0.000001,
        value: expect.any(Number),
      }),
    ]);
    const metrics = (await http().get('/metrics').expect(200)).text;
    const series = (name: string, labels: string) =>
      metrics.split('\n').find((line) => line.startsWith(`${name}{`) && line.includes(labels));
    const crossed = series(
      'gyre_model_threshold_crossings_total',
      `pipeline="${pipeline}",model_version="1",measure="featurePsi",role="served"`,
    );
    // One crossing per window: the epoch-2 window and the rolling one.
    expect(crossed).toMatch(/ 2$/);
    const psiMax = series(
      'gyre_model_feature_psi_max',
      `pipeline="${pipeline}",model_version="1",window="epoch",role="served"`,
    );
    expect(Number(psiMax?.split(' ').pop())).toBeCloseTo(first.body.epoch.models[0].featurePsiMax, 9);
    expect(
      series('gyre_model_live_auc', `pipeline="${pipeline}",model_version="1",window="rolling"`),
    ).toBeDefined();

    const again = await http().post(`/admin/monitoring/evaluations?pipeline=${pipeline}&epoch=2`).expect(200);

    expect(again.body.crossed).toEqual([]);
    expect(
      logLines.filter((line) => line.includes('threshold crossed') && line.includes(pipeline)),
    ).toHaveLength(logged.length);
    expect(await auditOf('monitoring.threshold.crossed', `pipeline/${pipeline}/model/v1`)).toHaveLength(
      audited.length,
    );
  });

  it("reports the challenger's shadow crossings apart from the served ones: role in the result, log line, audit entry and metrics", async () => {
    const evaluated = await http()
      .post(`/admin/monitoring/evaluations?pipeline=${pipeline}&epoch=3`)
      .expect(200);

    const shadow = evaluated.body.epoch.models.find((m: { role: string }) => m.role === 'shadow');
    expect(shadow).toMatchObject({ modelVersion: 2, epoch: 3 });
    const shadowCrossing = {
      modelVersion: 2,
      role: 'shadow',
      window: 'epoch:3',
      measure: 'featurePsi',
      value: shadow.featureDrift[0].psi,
      threshold: 0.000001,
    };
    expect(evaluated.body.crossed).toContainEqual(expect.objectContaining(shadowCrossing));
    // v1 served the same events: its crossing of the same measure in the same window is another one.
    expect(evaluated.body.crossed).toContainEqual(
      expect.objectContaining({ modelVersion: 1, role: 'served', window: 'epoch:3', measure: 'featurePsi' }),
    );
    const audited = await auditOf('monitoring.threshold.crossed', `pipeline/${pipeline}/model/v2`);
    expect(audited.filter((entry) => entry.after.window === 'epoch:3')).toContainEqual(
      expect.objectContaining({
        actor: MONITORING_ACTOR,
        before: expect.objectContaining({ role: 'shadow', crossed: false }),
        after: expect.objectContaining({
          measure: 'featurePsi',
          role: 'shadow',
          value: shadowCrossing.value,
        }),
      }),
    );
    expect(audited.every((entry) => entry.after.role === 'shadow')).toBe(true);
    expect(
      crossingLines().filter((line) => line.modelVersion === 2 && line.window === 'epoch:3'),
    ).toContainEqual(expect.objectContaining({ level: 'warn', ...shadowCrossing }));
    const states = await dataSource.query(
      `SELECT DISTINCT model_version, role FROM gyre_loop_monitoring_alerts
        WHERE pipeline = $1 AND "window" = 'epoch:3' ORDER BY model_version`,
      [pipeline],
    );
    expect(states).toEqual([
      { model_version: 1, role: 'served' },
      { model_version: 2, role: 'shadow' },
    ]);
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(
      gaugeValue(
        metrics,
        'gyre_model_feature_psi_max',
        `pipeline="${pipeline}",model_version="2",window="epoch",role="shadow"`,
      ),
    ).toBeCloseTo(shadow.featurePsiMax, 9);
    expect(
      gaugeValue(
        metrics,
        'gyre_model_live_auc',
        `pipeline="${pipeline}",model_version="2",window="epoch",role="shadow"`,
      ),
    ).toBeCloseTo(shadow.live.auc, 9);
    // v2's shadow rolling window crossed at the epoch-2 evaluation, its epoch-3 window now; it never served.
    expect(
      gaugeValue(
        metrics,
        'gyre_model_threshold_crossings_total',
        `pipeline="${pipeline}",model_version="2",measure="featurePsi",role="shadow"`,
      ),
    ).toBe(2);
    expect(metrics).not.toMatch(new RegExp(`pipeline="${pipeline}",model_version="2",[^}]*role="served"`));
  });

  it('fills the gauges of a restarted API from the stored latest figures, before any evaluation', async () => {
    const stored = (await dataSource.query(
      `SELECT model_version, role, "window", epoch, feature_psi_max, live_auc FROM gyre_loop_monitoring_figures
        WHERE pipeline = $1 ORDER BY model_version, "window"`,
      [pipeline],
    )) as {
      model_version: number;
      role: string;
      window: string;
      epoch: number | null;
      feature_psi_max: number;
      live_auc: number;
    }[];
    const figure = { feature_psi_max: expect.any(Number), live_auc: expect.any(Number) };
    expect(stored).toEqual([
      // Epoch 3's evaluation came after epoch 2's: the latest epoch window of v1 is epoch 3's.
      { model_version: 1, role: 'served', window: 'epoch', epoch: 3, ...figure },
      { model_version: 1, role: 'served', window: 'rolling', epoch: null, ...figure },
      { model_version: 2, role: 'shadow', window: 'epoch', epoch: 3, ...figure },
      { model_version: 2, role: 'shadow', window: 'rolling', epoch: null, ...figure },
    ]);
    const before = (await http().get('/metrics').expect(200)).text;

    // Another API process on the same Postgres: its registry starts empty; bootstrap fills it.
    const restarted = await createApiApp(logger, {
      extensions: [ReferenceLoopApiModule],
      migrations: REFERENCE_LOOP_MIGRATIONS,
    });
    try {
      await restarted.get(LoopMonitoringSchedule).stop();
      const after = (await clientAs(restarted, operator).get('/metrics').expect(200)).text;

      for (const [name, column] of [
        ['gyre_model_feature_psi_max', 'feature_psi_max'],
        ['gyre_model_live_auc', 'live_auc'],
      ] as const)
        for (const figures of stored) {
          const labels = `pipeline="${pipeline}",model_version="${figures.model_version}",window="${figures.window}",role="${figures.role}"`;
          expect(gaugeValue(after, name, labels)).toBe(figures[column]);
          expect(gaugeValue(after, name, labels)).toBe(gaugeValue(before, name, labels));
        }
    } finally {
      await restarted.close();
    }
  });

  it('evaluates each closed epoch once, whatever its age, when the API looks for unevaluated ones', async () => {
    // An API down for hours: epoch 1 closed long before this look still gets its evaluation.
    await dataSource.query(
      `UPDATE gyre_loop_epochs SET closed_at = now() - interval '3 hours' WHERE pipeline = $1 AND epoch = 1`,
      [pipeline],
    );
    const schedule = app.get(LoopMonitoringSchedule);
    // Other tests' recently closed epochs are claimed too, a bounded number per look.
    await waitFor(
      async () => (await schedule.check()).some((claim) => claim.pipeline === pipeline && claim.epoch === 3),
      {
        description: `epoch 3 of ${pipeline} claimed`,
      },
    );

    const claims = await dataSource.query(
      `SELECT epoch FROM gyre_loop_monitoring_epochs WHERE pipeline = $1 ORDER BY epoch`,
      [pipeline],
    );
    expect(claims).toEqual([{ epoch: 1 }, { epoch: 2 }, { epoch: 3 }]);
    const epoch1Closed = await dataSource.query(
      `SELECT closed_at < now() - interval '1 hour' AS old FROM gyre_loop_epochs WHERE pipeline = $1 AND epoch = 1`,
      [pipeline],
    );
    expect(epoch1Closed).toEqual([{ old: true }]);
    const states = await dataSource.query(
      `SELECT measure, crossed FROM gyre_loop_monitoring_alerts
        WHERE pipeline = $1 AND "window" = 'epoch:2' AND model_version = 1 ORDER BY measure`,
      [pipeline],
    );
    expect(states).toContainEqual({ measure: 'featurePsi', crossed: true });
    expect(states.map((state: { measure: string }) => state.measure)).toEqual(
      expect.arrayContaining(['ece', 'featurePsi', 'liveAuc', 'predictionPsi']),
    );
    expect((await schedule.check()).filter((claim) => claim.pipeline === pipeline)).toEqual([]);
  });

  it('judges a feature by its own PSI threshold, and not at all once excluded', async () => {
    const before = await http().get(`/admin/monitoring?pipeline=${pipeline}&epoch=2`).expect(200);
    const [top, second] = before.body.models[0].featureDrift as { feature: string; psi: number }[];
    expect(before.body.models[0].crossings).toContainEqual(
      expect.objectContaining({ measure: 'featurePsi', feature: top.feature, value: top.psi }),
    );

    const changed = await http()
      .patch(`/admin/monitoring/thresholds?pipeline=${pipeline}`)
      .send({ featurePsiPerFeature: { [top.feature]: 100 } })
      .expect(200);
    expect(changed.body).toMatchObject({
      featurePsi: 0.000001,
      featurePsiPerFeature: { [top.feature]: 100 },
    });
    const overridden = await http().get(`/admin/monitoring?pipeline=${pipeline}&epoch=2`).expect(200);
    expect(overridden.body.models[0].crossings).toContainEqual({
      measure: 'featurePsi',
      feature: second.feature,
      value: second.psi,
      threshold: 0.000001,
    });

    await http()
      .patch(`/admin/monitoring/thresholds?pipeline=${pipeline}`)
      .send({ featurePsiExcluded: [...FRAUD_FEATURES_V1.features] })
      .expect(200);
    const excluded = await http().get(`/admin/monitoring?pipeline=${pipeline}&epoch=2`).expect(200);
    // Drift is still reported, never judged.
    expect(excluded.body.models[0].featureDrift).toEqual(before.body.models[0].featureDrift);
    expect(
      excluded.body.models[0].crossings.filter((c: { measure: string }) => c.measure === 'featurePsi'),
    ).toEqual([]);

    const bad = await http()
      .patch(`/admin/monitoring/thresholds?pipeline=${pipeline}`)
      .send({ featurePsiPerFeature: { log_amount: -1 }, featurePsiExcluded: [3] })
      .expect(422);
    expect(bad.body).toMatchObject({
      type: expect.stringContaining('invalid-monitoring-thresholds'),
      errors: [
        { pointer: '/featurePsiPerFeature/log_amount', detail: 'must be a number in [0, 100]' },
        { pointer: '/featurePsiExcluded/0', detail: expect.stringContaining('must be a feature name') },
      ],
    });
  });

  it.each([
    ['/admin/monitoring', '/query/pipeline'],
    [`/admin/monitoring?pipeline=PIPE&window=weekly`, '/query/window'],
    [`/admin/monitoring?pipeline=PIPE&size=0`, '/query/size'],
    [`/admin/monitoring?pipeline=PIPE&epoch=x`, '/query/epoch'],
    [`/admin/monitoring?pipeline=PIPE&role=challenger`, '/query/role'],
    [`/admin/monitoring/versions/1?pipeline=PIPE&role=`, '/query/role'],
    // Parameters are checked before the pipeline is looked up: 400 for an unknown pipeline too.
    [`/admin/monitoring?pipeline=NONE&version=-1`, '/query/version'],
    [`/admin/monitoring/versions/zero?pipeline=PIPE`, '/path/version'],
    [`/admin/monitoring/thresholds`, '/query/pipeline'],
    ['/admin/epochs', '/query/pipeline'],
    ['/admin/epochs/1/lineage', '/query/pipeline'],
    ['/admin/epochs/1.5/lineage?pipeline=PIPE', '/path/epoch'],
    ['/admin/epochs/0/lineage?pipeline=PIPE', '/path/epoch'],
  ])('answers GET %s with 400 invalid-loop-query naming %s', async (route, pointer) => {
    const url = route.replace('PIPE', pipeline).replace('NONE', uniqueName('it-none'));

    const { body, headers } = await http().get(url).expect(400);

    expect(headers['content-type']).toMatch(PROBLEM);
    expect(body).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-loop-query',
      title: 'Invalid loop query',
      status: 400,
      errors: [{ pointer, detail: expect.any(String) }],
    });
  });

  it('answers a bad epoch of an evaluation with 400 invalid-loop-query', async () => {
    const { body } = await http()
      .post(`/admin/monitoring/evaluations?pipeline=${pipeline}&epoch=-1`)
      .expect(400);

    expect(body).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-loop-query',
      errors: [{ pointer: '/query/epoch' }],
    });
  });

  it('answers 404 for an unknown pipeline, 422 naming each bad threshold', async () => {
    const unknown = await http()
      .get(`/admin/monitoring?pipeline=${uniqueName('it-none')}`)
      .expect(404);
    expect(unknown.headers['content-type']).toMatch(PROBLEM);
    await http()
      .get(`/admin/monitoring/thresholds?pipeline=${uniqueName('it-none')}`)
      .expect(404);

    const bad = await http()
      .patch(`/admin/monitoring/thresholds?pipeline=${pipeline}`)
      .send({ ece: 2, psi: 0.1 })
      .expect(422);

    expect(bad.headers['content-type']).toMatch(PROBLEM);
    expect(bad.body).toMatchObject({
      type: expect.stringContaining('invalid-monitoring-thresholds'),
      errors: [
        { pointer: '/ece', detail: 'must be a number in [0, 1]' },
        { pointer: '/psi', detail: expect.stringContaining('unknown threshold') },
      ],
    });
  });
});

/** The value of one series of a gauge in a Prometheus text exposition; undefined without that series. */
function gaugeValue(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}
