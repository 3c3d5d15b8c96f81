import type { ErrorProblem } from '@gyre/errors';
import { MlError } from '../ml-error';
import type { ModelMonitoring } from './model-monitoring';

/** A pipeline's alerting thresholds for its serving models. */
export interface MonitoringThresholds {
  /** Crossed when a feature's PSI is above it (0.2: a moderate-to-major shift), unless overridden below. */
  readonly featurePsi: number;
  /**
   * A feature's own PSI threshold instead of `featurePsi`: for a feature that drifts by design, e.g. a
   * warm-up feature such as a card's history length, which grows as the loop runs.
   */
  readonly featurePsiPerFeature: Readonly<Record<string, number>>;
  /** Features whose drift is reported but never judged. */
  readonly featurePsiExcluded: readonly string[];
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
  featurePsiPerFeature: {},
  featurePsiExcluded: [],
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
  /** featurePsi: the most drifted feature over its threshold (value and threshold are that feature's). */
  readonly feature?: string;
}

/** The PSI threshold a feature is judged by; undefined for an excluded feature. */
export function featurePsiThreshold(thresholds: MonitoringThresholds, feature: string): number | undefined {
  if (thresholds.featurePsiExcluded.includes(feature)) return undefined;
  return Object.hasOwn(thresholds.featurePsiPerFeature, feature)
    ? thresholds.featurePsiPerFeature[feature]
    : thresholds.featurePsi;
}

/** The features judged for drift, each with its PSI and threshold (excluded ones left out). */
function judgedFeatures(
  monitoring: ModelMonitoring,
  thresholds: MonitoringThresholds,
): { feature: string; psi: number; threshold: number }[] {
  return monitoring.featureDrift.flatMap(({ feature, psi }) => {
    const threshold = featurePsiThreshold(thresholds, feature);
    return threshold === undefined ? [] : [{ feature, psi, threshold }];
  });
}

/** The measures a window is big enough to judge (and that it has a figure for): crossed or not, they are known. */
export function judgedMeasures(
  monitoring: ModelMonitoring,
  thresholds: MonitoringThresholds,
): MonitoredMeasure[] {
  const judged: MonitoredMeasure[] = [];
  if (monitoring.predictions >= thresholds.minPredictions) {
    if (judgedFeatures(monitoring, thresholds).length > 0) judged.push('featurePsi');
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
    // featureDrift is most drifted first: the first feature over its own threshold is the one reported.
    const drifted = judgedFeatures(monitoring, thresholds).find(({ psi, threshold }) => psi > threshold);
    if (drifted)
      crossings.push({
        measure: 'featurePsi',
        value: drifted.psi,
        threshold: drifted.threshold,
        feature: drifted.feature,
      });
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

type NumericThreshold = Exclude<keyof MonitoringThresholds, 'featurePsiPerFeature' | 'featurePsiExcluded'>;

const BOUNDS: Readonly<Record<NumericThreshold, { min: number; max: number; integer?: boolean }>> = {
  featurePsi: { min: 0, max: 100 },
  predictionPsi: { min: 0, max: 100 },
  ece: { min: 0, max: 1 },
  liveAuc: { min: 0, max: 1 },
  minPredictions: { min: 1, max: 1_000_000, integer: true },
  minLabelled: { min: 1, max: 1_000_000, integer: true },
};
/** A feature name as feature definitions spell them; a name no model has is allowed (and inert). */
const FEATURE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;
const MAX_NAMED_FEATURES = 200;
const KNOWN_FIELDS = [...Object.keys(BOUNDS), 'featurePsiPerFeature', 'featurePsiExcluded'];

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
  const next: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(body)) {
    if (field === 'featurePsiPerFeature') {
      const overrides = perFeatureThresholds(value, problems);
      if (overrides) next[field] = overrides;
      continue;
    }
    if (field === 'featurePsiExcluded') {
      const excluded = excludedFeatures(value, problems);
      if (excluded) next[field] = excluded;
      continue;
    }
    const bounds = Object.hasOwn(BOUNDS, field) ? BOUNDS[field as NumericThreshold] : undefined;
    if (!bounds) {
      problems.push({
        pointer: `/${escapePointer(field)}`,
        detail: `unknown threshold; known: ${KNOWN_FIELDS.join(', ')}`,
      });
    } else {
      const problem = numberProblem(value, bounds);
      if (problem) problems.push({ pointer: `/${field}`, detail: problem });
      else next[field] = value;
    }
  }
  if (problems.length > 0) {
    throw new MlError('INVALID_MONITORING_THRESHOLDS', `${problems.length} invalid threshold(s)`, {
      problems,
    });
  }
  return next as unknown as MonitoringThresholds;
}

function numberProblem(
  value: unknown,
  bounds: { min: number; max: number; integer?: boolean },
): string | undefined {
  return typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < bounds.min ||
    value > bounds.max ||
    (bounds.integer && !Number.isInteger(value))
    ? `must be ${bounds.integer ? 'an integer' : 'a number'} in [${bounds.min}, ${bounds.max}]`
    : undefined;
}

/** featurePsiPerFeature replaces the whole map (send {} to drop every override); undefined if bad. */
function perFeatureThresholds(value: unknown, problems: ErrorProblem[]): Record<string, number> | undefined {
  const pointer = '/featurePsiPerFeature';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ pointer, detail: 'must be an object of feature name to PSI threshold' });
    return undefined;
  }
  const entries = Object.entries(value);
  const before = problems.length;
  if (entries.length > MAX_NAMED_FEATURES)
    problems.push({ pointer, detail: `at most ${MAX_NAMED_FEATURES} features` });
  for (const [feature, threshold] of entries.slice(0, MAX_NAMED_FEATURES)) {
    const at = `${pointer}/${escapePointer(feature)}`;
    if (!FEATURE_NAME.test(feature)) problems.push({ pointer: at, detail: FEATURE_NAME_DETAIL });
    else {
      const problem = numberProblem(threshold, BOUNDS.featurePsi);
      if (problem) problems.push({ pointer: at, detail: problem });
    }
  }
  return problems.length === before ? (Object.fromEntries(entries) as Record<string, number>) : undefined;
}

/** featurePsiExcluded replaces the whole list (duplicates dropped, sorted); undefined if bad. */
function excludedFeatures(value: unknown, problems: ErrorProblem[]): string[] | undefined {
  const pointer = '/featurePsiExcluded';
  if (!Array.isArray(value)) {
    problems.push({ pointer, detail: 'must be an array of feature names' });
    return undefined;
  }
  const before = problems.length;
  if (value.length > MAX_NAMED_FEATURES)
    problems.push({ pointer, detail: `at most ${MAX_NAMED_FEATURES} features` });
  value.slice(0, MAX_NAMED_FEATURES).forEach((feature: unknown, i) => {
    if (typeof feature !== 'string' || !FEATURE_NAME.test(feature))
      problems.push({ pointer: `${pointer}/${i}`, detail: FEATURE_NAME_DETAIL });
  });
  return problems.length === before ? [...new Set(value as string[])].sort() : undefined;
}

const FEATURE_NAME_DETAIL = 'must be a feature name: a letter, then up to 99 letters, digits, _ . -';

/** RFC 6901: a field name inside a JSON pointer. */
function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
