import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { FRAUD_FEATURES_V1, generateDriftingScenario } from '@gyre/ml';
import { S3Storage } from '@gyre/storage';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { clientAs, issueKey, TestKey } from '../../../apps/api/test/auth-helpers';
import {
  consoleScreenshot,
  consoleSignedIn,
  launchBrowser,
  uniqueName,
  waitFor,
} from '../../../tools/testing';
import { recordPredictionFixture, recordTrainedEpochs } from './loop-ledger-fixtures';
import { InProcessLoop } from './loop-run-fixtures';

import { startLoopApi } from './loop-api-fixture';

const DIST = join(__dirname, '..', '..', '..', 'apps', 'console', 'dist', 'index.html');

/**
 * The console's Epochs page in a real headless Chromium, on an API that composes the fraud loop in (as
 * `npm start` does), over epochs this test records in the loop's own tables.
 */
describe('the console Epochs page on a feedback loop', () => {
  let app: INestApplication;
  let browser: Browser;
  let base: string;
  let operator: TestKey;
  let consumer: TestKey;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(DIST))
      throw new Error('the console is not built: run npm run setup (or npm run build:console)');
    ({ app, operator } = await startLoopApi());
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    consumer = await issueKey(app, 'consumer');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('draws live AUC, log loss and calibration per epoch and per model version, downloads a model, looks up a prediction and opens a lineage', async () => {
    const pipeline = uniqueName('it-console-epochs');
    const labelled = (scores: number[]) =>
      scores.map((score, i) => ({ score, label: i < scores.length / 2 ? 0 : 1 }) as const);
    const buckets = app.get(GyreConfig).s3.buckets;
    await recordTrainedEpochs(
      app.get(DataSource),
      pipeline,
      [{ examples: labelled([0.2, 0.3, 0.7, 0.9]) }, { examples: labelled([0.6, 0.3, 0.4, 0.8]) }],
      buckets,
    );
    // The artifact of version 2 as train would have written it, for the page's download.
    const artifact = JSON.stringify({ version: 2, weights: [0.25, -0.5] });
    await app.get(S3Storage).ensureBucket(buckets.models);
    await app.get(S3Storage).putObject(buckets.models, `${pipeline}/v0002/model.json`, artifact);
    const features = FRAUD_FEATURES_V1.features.map((_, i) => i / 10);
    await recordPredictionFixture(app.get(DataSource), pipeline, {
      eventId: 'tx-console-1',
      epoch: 2,
      modelVersion: 1,
      score: 0.42,
      values: features,
    });
    const page = await consoleSignedIn(browser, base, operator.secret, { cspViolations });

    await page.goto(`${base}/console/#/epochs`);
    await page.getByLabel('Pipeline').fill(pipeline);
    await page.getByRole('button', { name: 'Show epochs' }).click();

    const points = (plot: string, series: string) =>
      page.locator(`[data-plot="${plot}"] [data-series="${series}"]`).getAttribute('data-values');
    await page.locator('[data-live-auc="3"]').waitFor();
    // Epochs 1, 2 and the open epoch 3 (no labelled example yet: a gap).
    expect(await points('Live AUC per epoch', 'live AUC')).toBe('1 0.75 -');
    expect(await points('Live AUC per epoch', 'held-out AUC (trained)')).toBe('0.9 0.9 -');
    const brier = (await points('Calibration per epoch', 'live Brier'))?.split(' ');
    expect(brier?.[2]).toBe('-');
    expect(Number(brier?.[0])).toBeCloseTo(0.0575, 2);
    expect(Number(brier?.[1])).toBeCloseTo(0.2125, 2);
    expect((await points('Live log loss per epoch', 'live log loss'))?.split(' ')).toHaveLength(3);
    expect(await page.locator('[data-plot="Live AUC per epoch"]').getAttribute('data-points')).toBe('3');
    expect(await page.locator('[data-live-auc="2"]').textContent()).toBe('0.750');
    expect(await page.locator('[data-dataset="1"]').textContent()).toBe(
      `s3://${buckets.datasets}/${pipeline}/epoch-0001/training.parquet`,
    );
    expect(await page.locator('[data-model="2"]').textContent()).toBe(
      `s3://${buckets.models}/${pipeline}/v0002/model.json`,
    );

    // Calibration per model version: held-out (the fixture's 0.02) beside the live ECE of the epoch each served.
    const liveEce = (await points('Calibration per epoch', 'live ECE'))?.split(' ');
    expect(Number(liveEce?.[1])).toBeGreaterThan(0);
    expect(await points('Calibration per model version', 'held-out ECE')).toBe('0.02 0.02');
    expect(await points('Calibration per model version', 'live ECE')).toBe(`${liveEce?.[1]} -`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the model trained in epoch 2' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('model.json');
    expect(readFileSync(await download.path(), 'utf8')).toBe(artifact);
    await page.getByLabel('Event id').fill('tx-console-1');
    await page.getByRole('button', { name: 'Look up' }).click();
    const prediction = page.locator('[data-prediction="tx-console-1"]');
    await prediction.waitFor();
    expect(await prediction.textContent()).toContain('Modelfraud-v1');
    expect(await prediction.textContent()).toContain('Model checksumsha256:v1');
    expect(await prediction.textContent()).toContain('Score0.420');
    expect(await page.locator(`[data-feature="${FRAUD_FEATURES_V1.features[3]}"]`).textContent()).toBe('0.3');

    // The fixture names v1's artifact without writing it: monitoring cannot read its reference, and says so.
    await page.locator('[data-monitoring-absent]').waitFor();
    expect(await page.locator('[data-monitoring-absent]').textContent()).toContain(
      '404 Stored object not found',
    );
    expect(await page.locator('[data-plot="Reliability per model version"]').isHidden()).toBe(true);

    await page.getByRole('link', { name: '2', exact: true }).click();
    await page.locator('[data-lineage="2"]').waitFor();
    const lineage = await page.locator('[data-lineage="2"]').textContent();
    expect(lineage).toContain('Served byv1');
    expect(lineage).toContain('Model checksumsha256:v2');
    await waitFor(async () => page.url().endsWith(`#/epochs/${pipeline}/2`), {
      description: 'the lineage route',
    });
    await consoleScreenshot(page, 'epochs.png');
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });

  it("draws each serving version's reliability curve, shows roles and threshold crossings, and promotes and rolls back after a confirmation", async () => {
    const pipeline = uniqueName('it-console-models');
    const storage = app.get(S3Storage);
    await storage.ensureBucket(storage.buckets.models);
    await storage.ensureBucket(storage.buckets.datasets);
    // Two epochs through the loop's real handlers: v1 (trained on epoch 1) serves epoch 2 and stays
    // champion; v2, trained on epoch 2, is the challenger.
    const loop = new InProcessLoop(app.get(DataSource), storage, pipeline, {
      minExamples: 200,
      seed: 'console',
    });
    const world = generateDriftingScenario({
      seed: 'console-models',
      epochs: 2,
      eventsPerEpoch: 200,
      drift: 'sudden',
      attackEpoch: 2,
      fraudRate: 0.1,
    });
    for (const { transactions, outcomes } of world) await loop.run(transactions, outcomes);
    const http = clientAs(app, operator);
    // A feature PSI threshold every window crosses, so the page has crossings to show.
    await http
      .patch(`/admin/monitoring/thresholds?pipeline=${pipeline}`)
      .send({ featurePsi: 0.000001, minPredictions: 10 })
      .expect(200);
    const rolling = (await http.get(`/admin/monitoring?pipeline=${pipeline}&window=rolling`).expect(200))
      .body;
    const observed = rolling.models[0].calibration.bins
      .map((bin: { observedRate: number | null }) =>
        bin.observedRate === null ? '-' : String(Math.round(bin.observedRate * 1000) / 1000),
      )
      .join(' ');
    const page = await consoleSignedIn(browser, base, operator.secret, { cspViolations });
    await page.goto(`${base}/console/#/epochs/${pipeline}`);

    const points = (series: string) =>
      page
        .locator(`[data-plot="Reliability per model version"] [data-series="${series}"]`)
        .getAttribute('data-values');
    await page.locator('[data-plot="Reliability per model version"] [data-series="v1"]').waitFor();
    expect(await points('v1')).toBe(observed);
    expect(await points('perfectly calibrated')).toBe('0.05 0.15 0.25 0.35 0.45 0.55 0.65 0.75 0.85 0.95');
    await page.locator('[data-crossing="epoch 2:v1:featurePsi"]').waitFor();
    expect(await page.locator('[data-crossing="rolling (latest 500):v1:featurePsi"]').count()).toBe(1);
    const role = (version: number) => page.locator(`[data-role-of="${version}"]`).textContent();
    const shows = (version: number, expected: string) =>
      waitFor(async () => (await role(version)) === expected, {
        description: `v${version} shown as ${expected}`,
      });
    await shows(1, 'champion');
    expect(await role(2)).toBe('challenger');
    const dialog = page.getByRole('dialog');

    // Cancelled: nothing changes.
    const changes = async () =>
      (await http.get(`/admin/pipelines/${pipeline}/models`).expect(200)).body.changes.length as number;
    const trained = await changes();
    await page.getByRole('button', { name: 'Promote v2' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await changes()).toBe(trained);
    await page.getByRole('button', { name: 'Promote v2' }).click();
    await dialog.getByRole('button', { name: 'Promote v2' }).click();
    await shows(2, 'champion');
    expect(await role(1)).toBe('retired');
    await page.locator('[data-role-change="2:champion"]').waitFor();
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await dialog.getByRole('button', { name: 'Roll back to v1' }).click();
    await shows(1, 'champion');
    const { body } = await http.get(`/admin/pipelines/${pipeline}/models`).expect(200);
    expect(
      body.changes
        .filter((change: { actor: string }) => change.actor === operator.id)
        .map((change: { version: number; toRole: string }) => `v${change.version} ${change.toRole}`),
    ).toEqual(['v1 retired', 'v2 champion', 'v2 retired', 'v1 champion']);
    await consoleScreenshot(page, 'models.png');
    expect(cspViolations).toEqual([]);
    await page.context().close();

    // A consumer key: no promote or rollback button, and the API refuses the call anyway.
    const viewer = await consoleSignedIn(browser, base, consumer.secret, { cspViolations });
    await viewer.goto(`${base}/console/#/epochs/${pipeline}`);
    await viewer.getByText('Epochs are shown to admin keys only.').waitFor();
    expect(await viewer.getByRole('button', { name: /Promote|Roll back/ }).count()).toBe(0);
    await clientAs(app, consumer).post(`/admin/pipelines/${pipeline}/models/2:promote`).expect(403);
    await viewer.context().close();
  });
});
