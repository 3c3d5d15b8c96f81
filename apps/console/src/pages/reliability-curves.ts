import type { TimeSeries } from '../plot';
import type { MonitoringReport } from '../types';

/**
 * Reliability curves from a monitoring report: per model version the observed fraud rate in each bin of
 * predicted probability (a gap where the bin is empty), beside the diagonal of a perfectly calibrated
 * model. The bins are equal-width and the same for every version, so their midpoints are the shared x.
 */
export function reliabilityCurves(report: MonitoringReport): TimeSeries {
  const models = report.models
    .filter((model) => model.calibration !== null && model.calibration.bins.length > 0)
    .sort((a, b) => a.modelVersion - b.modelVersion);
  const bins = models[0]?.calibration?.bins ?? [];
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
  const midpoints = bins.map((bin) => round((bin.lower + bin.upper) / 2)!);
  return {
    times: midpoints,
    series: [
      { label: 'perfectly calibrated', values: midpoints },
      ...models.map((model) => ({
        label: `v${model.modelVersion}`,
        values: bins.map((_, i) => round(model.calibration!.bins[i]?.observedRate ?? null)),
      })),
    ],
  };
}
