import type { TimeSeries } from '../plot';
import type { EpochSummary } from '../types';

/**
 * Calibration per model version, from a loop's epochs: each version's held-out ECE and Brier (the epoch
 * that trained it) against its live ones (the latest epoch it served, once labelled). The prior (no
 * version) is left out.
 */
export function calibrationByVersion(epochs: readonly EpochSummary[]): TimeSeries {
  const versions = new Map<
    number,
    { heldOut?: { ece: number; brier: number }; live?: { ece: number; brier: number } }
  >();
  const at = (version: number) => versions.get(version) ?? versions.set(version, {}).get(version)!;
  for (const epoch of epochs) {
    if (epoch.trained) at(epoch.trained.version).heldOut = epoch.trained.metrics;
    // Epochs come oldest first: a later epoch served by the same version replaces the earlier one.
    if (epoch.servedBy && epoch.live) at(epoch.servedBy.version).live = epoch.live;
  }
  const rows = [...versions.entries()].sort(([a], [b]) => a - b);
  const round = (value: number | undefined) => (value === undefined ? null : Math.round(value * 1000) / 1000);
  return {
    times: rows.map(([version]) => version),
    series: [
      { label: 'held-out ECE', values: rows.map(([, row]) => round(row.heldOut?.ece)) },
      { label: 'live ECE', values: rows.map(([, row]) => round(row.live?.ece)) },
      { label: 'held-out Brier', values: rows.map(([, row]) => round(row.heldOut?.brier)) },
      { label: 'live Brier', values: rows.map(([, row]) => round(row.live?.brier)) },
    ],
  };
}
