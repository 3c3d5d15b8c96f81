import type { TimeSeries } from '../plot';
import type { MonitoringReport, WindowMonitoring } from '../types';

/** `v2`, or `v2 shadow` for the challenger's shadow scores (a version can have both in one window). */
export function windowModelLabel(model: Pick<WindowMonitoring, 'modelVersion' | 'role'>): string {
  return model.role === 'shadow' ? `v${model.modelVersion} shadow` : `v${model.modelVersion}`;
}

/**
 * Reliability curves from a monitoring report: per model version and role the observed fraud rate in each bin of
 * predicted probability (a gap where the bin is empty), beside the diagonal of a perfectly calibrated
 * model. The bins are equal-width and the same for every version, so their midpoints are the shared x.
 */
export function reliabilityCurves(report: MonitoringReport): TimeSeries {
  const models = report.models
    .filter((model) => model.calibration !== null && model.calibration.bins.length > 0)
    .sort(
      (a, b) => a.modelVersion - b.modelVersion || Number(a.role === 'shadow') - Number(b.role === 'shadow'),
    );
  const bins = models[0]?.calibration?.bins ?? [];
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
  const midpoints = bins.map((bin) => round((bin.lower + bin.upper) / 2)!);
  return {
    times: midpoints,
    series: [
      { label: 'perfectly calibrated', values: midpoints },
      ...models.map((model) => ({
        label: windowModelLabel(model),
        values: bins.map((_, i) => round(model.calibration!.bins[i]?.observedRate ?? null)),
      })),
    ],
  };
}
