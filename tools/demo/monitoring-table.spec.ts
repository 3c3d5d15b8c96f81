import type { MonitoringReport, WindowMonitoring } from '@gyre/example-fraud-loop';
import { DEFAULT_MONITORING_THRESHOLDS } from '@gyre/ml';
import { formatApiMonitoring } from './monitoring-table';

const window = (
  epoch: number,
  modelVersion: number,
  extra: Partial<WindowMonitoring> = {},
): WindowMonitoring => ({
  modelVersion,
  role: 'served',
  epoch,
  eventTime: null,
  predictions: 2000,
  labelled: 1990,
  positives: 60,
  featureDrift: [
    { feature: 'amount_z', psi: 0.31 },
    { feature: 'log_amount', psi: 0.05 },
  ],
  featurePsiMax: 0.31,
  predictionPsi: 0.123,
  calibration: { ece: 0.0213, bins: [] },
  live: { auc: 0.9123, logLoss: 0.0812 },
  crossings: [],
  ...extra,
});

const report = (models: WindowMonitoring[]): MonitoringReport => ({
  pipeline: 'fraud-demo-x',
  window: 'epoch',
  size: null,
  thresholds: DEFAULT_MONITORING_THRESHOLDS,
  models,
});

describe(formatApiMonitoring.name, () => {
  it("prints each epoch's served version with the API's drift, calibration, live figures and crossings, by epoch", () => {
    const table = formatApiMonitoring(
      report([
        window(3, 2, {
          crossings: [{ measure: 'featurePsi', feature: 'amount_z', value: 0.31, threshold: 0.2 }],
        }),
        window(2, 1, { live: null, calibration: null, predictionPsi: null }),
      ]),
    ).split('\n');

    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/^\s*2\s+v1\s+1990\/2000\s+amount_z 0\.31\s+-\s+-\s+-\s+-\s+-$/);
    expect(table[3]).toMatch(
      /^\s*3\s+v2\s+1990\/2000\s+amount_z 0\.31\s+0\.123\s+0\.0213\s+0\.9123\s+0\.0812\s+featurePsi\(amount_z\) 0\.31>0\.2$/,
    );
  });

  it('tells a crossing from its threshold: enough digits, and "<" for live AUC, a floor', () => {
    const table = formatApiMonitoring(
      report([
        window(2, 1, {
          crossings: [
            { measure: 'ece', value: 0.0544, threshold: 0.05 },
            { measure: 'liveAuc', value: 0.5903, threshold: 0.7 },
          ],
        }),
      ]),
    );

    expect(table).toContain('ece 0.054>0.05, liveAuc 0.59<0.7');
  });

  it("marks the challenger's shadow scores and prints them under the served version of the same epoch", () => {
    const table = formatApiMonitoring(
      report([window(3, 2, { role: 'shadow', predictionPsi: 0.045 }), window(3, 1), window(2, 1)]),
    ).split('\n');

    expect(table[0]).toMatch(/^epoch\s+version\s+labelled/);
    expect(
      table.slice(2).map((row) =>
        row
          .trim()
          .split(/\s{2,}/)
          .slice(0, 2),
      ),
    ).toEqual([
      ['2', 'v1'],
      ['3', 'v1'],
      ['3', 'v2 shadow'],
    ]);
    expect(table[4]).toMatch(/v2 shadow\s+1990\/2000\s+amount_z 0\.31\s+0\.045\s/);
  });
});
