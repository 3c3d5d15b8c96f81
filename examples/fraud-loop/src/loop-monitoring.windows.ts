import type { MonitoredPrediction, MonitoringRole } from './loop-monitoring.store';

export type MonitoringWindowKind = 'epoch' | 'rolling';

/** The scores one model version gave in one role over one window. */
export interface WindowGroup {
  readonly modelVersion: number;
  readonly role: MonitoringRole;
  /** The epoch of an epoch window; null for a rolling one. */
  readonly epoch: number | null;
  readonly rows: MonitoredPrediction[];
}

// Served before shadow within an epoch: a client that reads an epoch's first window gets the served one.
const ROLE_ORDER: Record<MonitoringRole, number> = { served: 0, shadow: 1 };

/**
 * Epoch windows: one per (epoch, role, version), by epoch; rolling: one per (role, version). A version that
 * both served and shadowed in a window (a challenger promoted within it) has a window for each role.
 */
export function groupByWindow(
  predictions: readonly MonitoredPrediction[],
  kind: MonitoringWindowKind,
): WindowGroup[] {
  const groups = new Map<string, WindowGroup>();
  for (const prediction of predictions) {
    const epoch = kind === 'epoch' ? prediction.epoch : null;
    const key = `${epoch}:${prediction.role}:${prediction.modelVersion}`;
    let group = groups.get(key);
    if (!group)
      groups.set(
        key,
        (group = { modelVersion: prediction.modelVersion, role: prediction.role, epoch, rows: [] }),
      );
    group.rows.push(prediction);
  }
  return [...groups.values()].sort(
    (a, b) =>
      (a.epoch ?? 0) - (b.epoch ?? 0) ||
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.modelVersion - b.modelVersion,
  );
}

/** Event time of the first and last prediction of a window (ms since the epoch); null if none has one. */
export function timeRange(
  rows: readonly MonitoredPrediction[],
): { readonly from: number; readonly to: number } | null {
  const times = rows.flatMap((row) => (row.eventTime === null ? [] : [row.eventTime]));
  return times.length > 0 ? { from: Math.min(...times), to: Math.max(...times) } : null;
}

/** The alert-state key of a window: `epoch:<n>` or `rolling` (the role is kept beside it, not in it). */
export function windowKey(epoch: number | null): string {
  return epoch === null ? 'rolling' : `epoch:${epoch}`;
}
