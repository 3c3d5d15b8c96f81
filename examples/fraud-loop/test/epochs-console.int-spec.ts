import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../../apps/api/src/api-app';
import { issueKey, TestKey } from '../../../apps/api/test/auth-helpers';
import {
  consoleScreenshot,
  consoleSignedIn,
  launchBrowser,
  testLogger,
  uniqueName,
  waitFor,
} from '../../../tools/testing';
import { REFERENCE_LOOP_MIGRATIONS, ReferenceLoopApiModule } from '../src';
import { recordTrainedEpochs } from './loop-ledger-fixtures';

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
    app = await createApiApp(testLogger('error'), {
      extensions: [ReferenceLoopApiModule],
      migrations: REFERENCE_LOOP_MIGRATIONS,
    });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    operator = await issueKey(app, 'admin');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('draws live AUC, log loss and calibration per epoch, lists datasets and models, and opens a lineage', async () => {
    const pipeline = uniqueName('it-console-epochs');
    const labelled = (scores: number[]) =>
      scores.map((score, i) => ({ score, label: i < scores.length / 2 ? 0 : 1 }) as const);
    await recordTrainedEpochs(app.get(DataSource), pipeline, [
      { examples: labelled([0.2, 0.3, 0.7, 0.9]) },
      { examples: labelled([0.6, 0.3, 0.4, 0.8]) },
    ]);
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
      `s3://datasets/${pipeline}/epoch-0001/training.parquet`,
    );
    expect(await page.locator('[data-model="2"]').textContent()).toBe(
      `s3://models/${pipeline}/v0002/model.json`,
    );

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
