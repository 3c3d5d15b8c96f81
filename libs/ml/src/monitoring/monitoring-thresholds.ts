import type { ErrorProblem } from '@gyre/errors';
import { MlError } from '../ml-error';
import type { ModelMonitoring } from './model-monitoring';

/** A pipeline's alerting thresholds for its serving models. */
export interface MonitoringThresholds {
  /** Crossed when the most drifted feature's PSI is above it (0.2: a moderate-to-major shift). */
  readonly featurePsi: number;
  /** Crossed when the score distribution's PSI is above it. */
  readonly predictionPsi: number;
  /** Crossed when the expected calibration error is above it. */
  readonly ece: number;
  /** Crossed when the live AUC is below it. */
  readonly liveAuc: number;
  /** Drift is judged only on windows of at least this many predictions: PSI of a few rows is noise. */
  readonly minPredictions: number;
  /** Calibration and AUC are judged only on windows with at least this many labels. */
  readonly minLabelled: number;
}

export const DEFAULT_MONITORING_THRESHOLDS: MonitoringThresholds = {
  featurePsi: 0.2,
  predictionPsi: 0.2,
  ece: 0.05,
  liveAuc: 0.7,
  minPredictions: 100,
  minLabelled: 100,
};

export type MonitoredMeasure = 'featurePsi' | 'predictionPsi' | 'ece' | 'liveAuc';

export interface ThresholdCrossing {
  readonly measure: MonitoredMeasure;
  readonly value: number;
  readonly threshold: number;
}

/** The measures a window is big enough to judge (and that it has a figure for): crossed or not, they are known. */
export function judgedMeasures(
  monitoring: ModelMonitoring,
  thresholds: MonitoringThresholds,
): MonitoredMeasure[] {
  const judged: MonitoredMeasure[] = [];
  if (monitoring.predictions >= thresholds.minPredictions) {
    if (monitoring.featurePsiMax !== null) judged.push('featurePsi');
    if (monitoring.predictionPsi !== null) judged.push('predictionPsi');
  }
  if (monitoring.labelled >= thresholds.minLabelled) {
    if (monitoring.calibration) judged.push('ece');
    if (monitoring.live?.auc != null) judged.push('liveAuc');
  }
  return judged;
}

/** Every threshold a window's figures cross; figures of too small a window are not judged. */
export function thresholdCrossings(
  monitoring: ModelMonitoring,
  thresholds: MonitoringThresholds,
): ThresholdCrossing[] {
  const crossings: ThresholdCrossing[] = [];
  const above = (measure: MonitoredMeasure, value: number | null | undefined, threshold: number) => {
    if (value != null && value > threshold) crossings.push({ measure, value, threshold });
  };
  if (monitoring.predictions >= thresholds.minPredictions) {
    above('featurePsi', monitoring.featurePsiMax, thresholds.featurePsi);
    above('predictionPsi', monitoring.predictionPsi, thresholds.predictionPsi);
  }
  if (monitoring.labelled >= thresholds.minLabelled) {
    above('ece', monitoring.calibration?.ece, thresholds.ece);
    const auc = monitoring.live?.auc;
    if (auc != null && auc < thresholds.liveAuc)
      crossings.push({ measure: 'liveAuc', value: auc, threshold: thresholds.liveAuc });
  }
  return crossings;
}

const BOUNDS: Readonly<Record<keyof MonitoringThresholds, { min: number; max: number; integer?: boolean }>> =
  {
    featurePsi: { min: 0, max: 100 },
    predictionPsi: { min: 0, max: 100 },
    ece: { min: 0, max: 1 },
    liveAuc: { min: 0, max: 1 },
    minPredictions: { min: 1, max: 1_000_000, integer: true },
    minLabelled: { min: 1, max: 1_000_000, integer: true },
  };

/**
 * A change of thresholds as an admin sends it: any subset of the fields, applied over `current`. Every
 * bad field is named (INVALID_MONITORING_THRESHOLDS, with a JSON pointer per field).
 */
export function applyThresholdChanges(current: MonitoringThresholds, body: unknown): MonitoringThresholds {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MlError('INVALID_MONITORING_THRESHOLDS', 'thresholds must be a JSON object', {
      problems: [{ pointer: '', detail: 'expected an object of thresholds' }],
    });
  }
  const problems: ErrorProblem[] = [];
  const next: Record<string, number> = { ...current };
  for (const [field, value] of Object.entries(body)) {
    const bounds = BOUNDS[field as keyof MonitoringThresholds];
    if (!bounds) {
      problems.push({
        pointer: `/${field}`,
        detail: `unknown threshold; known: ${Object.keys(BOUNDS).join(', ')}`,
      });
    } else if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < bounds.min ||
      value > bounds.max ||
      (bounds.integer && !Number.isInteger(value))
    ) {
      problems.push({
        pointer: `/${field}`,
        detail: `must be ${bounds.integer ? 'an integer' : 'a number'} in [${bounds.min}, ${bounds.max}]`,
      });
    } else next[field] = value;
  }
  if (problems.length > 0) {
    throw new MlError('INVALID_MONITORING_THRESHOLDS', `${problems.length} invalid threshold(s)`, {
      problems,
    });
  }
  return next as unknown as MonitoringThresholds;
}
