import type { EpochSummary, ModelVersionView } from '../types';
import { calibrationByVersion } from './model-calibration';

const model = (version: number, ece: number, brier: number): ModelVersionView => ({
  version,
  artifact: { bucket: 'models', key: `v${version}`, checksum: `sha256:v${version}` },
  metrics: { examples: 10, positives: 2, auc: 0.9, logLoss: 0.1, brier, ece },
});
const epoch = (
  number: number,
  servedBy: ModelVersionView | null,
  live: { ece: number; brier: number } | null,
  trained: ModelVersionView | null,
): EpochSummary => ({
  epoch: number,
  state: trained ? 'closed' : 'open',
  events: 4,
  examples: 4,
  dataset: null,
  servedBy,
  live: live && { examples: 4, auc: 0.8, logLoss: 0.4, ...live },
  trained,
  openedAt: '2026-12-07T00:00:00.000Z',
  closedAt: null,
  trainingSeconds: null,
  datasetUris: [],
  modelUri: null,
});

describe(calibrationByVersion.name, () => {
  it('puts each version’s held-out calibration beside the live one of the latest epoch it served, leaving the prior out', () => {
    const v1 = model(1, 0.02, 0.05);
    const v2 = model(2, 0.03, 0.06);
    const series = calibrationByVersion([
      epoch(1, null, { ece: 0.4, brier: 0.3 }, v1),
      epoch(2, v1, { ece: 0.1, brier: 0.2 }, v2),
      epoch(3, v2, null, null),
    ]);

    expect(series.times).toEqual([1, 2]);
    expect(Object.fromEntries(series.series.map((row) => [row.label, row.values]))).toEqual({
      'held-out ECE': [0.02, 0.03],
      'live ECE': [0.1, null],
      'held-out Brier': [0.05, 0.06],
      'live Brier': [0.2, null],
    });
  });

  it('takes the later epoch when a version served several', () => {
    const v1 = model(1, 0.02, 0.05);
    const series = calibrationByVersion([
      epoch(2, v1, { ece: 0.1, brier: 0.2 }, null),
      epoch(3, v1, { ece: 0.15, brier: 0.25 }, null),
    ]);

    expect(series.series.find((row) => row.label === 'live ECE')?.values).toEqual([0.15]);
  });
});
