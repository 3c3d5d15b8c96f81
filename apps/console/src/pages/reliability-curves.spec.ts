import type { MonitoringReport, ReliabilityPoint, WindowMonitoring } from '../types';
import { reliabilityCurves } from './reliability-curves';

const bins = (rates: Array<number | null>): ReliabilityPoint[] =>
  rates.map((observedRate, i) => ({
    lower: i / rates.length,
    upper: (i + 1) / rates.length,
    count: observedRate === null ? 0 : 10,
    meanPrediction: observedRate === null ? null : (i + 0.5) / rates.length,
    observedRate,
  }));

const model = (
  modelVersion: number,
  rates: Array<number | null> | null,
  role: WindowMonitoring['role'] = 'served',
): WindowMonitoring => ({
  modelVersion,
  role,
  epoch: null,
  predictions: 40,
  labelled: 40,
  calibration: rates === null ? null : { ece: 0.1, bins: bins(rates) },
  crossings: [],
});

const report = (...models: WindowMonitoring[]): MonitoringReport => ({
  pipeline: 'fraud',
  window: 'rolling',
  size: 500,
  models,
});

describe(reliabilityCurves.name, () => {
  it('draws one curve per model version over the bin midpoints, beside the diagonal', () => {
    const curves = reliabilityCurves(report(model(2, [0.1, 0.2, 0.9, 1]), model(1, [0, 0.5, 0.5, 0.6])));

    expect(curves.times).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect(curves.series).toEqual([
      { label: 'perfectly calibrated', values: [0.125, 0.375, 0.625, 0.875] },
      { label: 'v1', values: [0, 0.5, 0.5, 0.6] },
      { label: 'v2', values: [0.1, 0.2, 0.9, 1] },
    ]);
  });

  it("draws the challenger's shadow scores as their own curve, marked shadow, after its served one", () => {
    const curves = reliabilityCurves(
      report(model(2, [0.3, 0.4], 'shadow'), model(1, [0, 0.5]), model(2, [0.1, 0.2])),
    );

    expect(curves.series.map((series) => series.label)).toEqual([
      'perfectly calibrated',
      'v1',
      'v2',
      'v2 shadow',
    ]);
    expect(curves.series[3].values).toEqual([0.3, 0.4]);
  });

  it('leaves a gap for an empty bin and leaves out a version with no labelled prediction', () => {
    const curves = reliabilityCurves(report(model(1, [0.2, null]), model(2, null)));

    expect(curves.series.map((series) => series.label)).toEqual(['perfectly calibrated', 'v1']);
    expect(curves.series[1].values).toEqual([0.2, null]);
  });

  it('has no point when no version has a labelled prediction', () => {
    expect(reliabilityCurves(report(model(1, null)))).toEqual({
      times: [],
      series: [{ label: 'perfectly calibrated', values: [] }],
    });
  });
});
