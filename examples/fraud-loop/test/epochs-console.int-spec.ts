import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { FRAUD_FEATURES_V1 } from '@gyre/ml';
import { S3Storage } from '@gyre/storage';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { TestKey } from '../../../apps/api/test/auth-helpers';
import {
  consoleScreenshot,
  consoleSignedIn,
  launchBrowser,
  uniqueName,
  waitFor,
} from '../../../tools/testing';
import { recordPredictionFixture, recordTrainedEpochs } from './loop-ledger-fixtures';

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
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(DIST))
      throw new Error('the console is not built: run npm run setup (or npm run build:console)');
    ({ app, operator } = await startLoopApi());
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
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
});
