import { calibration, logLoss, rocAuc } from '../evaluation/metrics';
import { MlError } from '../ml-error';
import { FeatureDrift, featureDrift } from './feature-drift';
import { populationStability } from './population-stability';

/** A serving model's reference: the rows it was trained on and its own scores on them. */
export interface MonitoringReference {
  readonly rows: readonly (readonly number[])[];
  readonly scores: readonly number[];
}

/** What the model saw in a window: its predictions, and each one's label once it has arrived (null before). */
export interface MonitoredWindow {
  readonly rows: readonly (readonly number[])[];
  readonly scores: readonly number[];
  readonly labels: readonly (0 | 1 | null)[];
}

/** One bin of a reliability curve; the means are null when the bin is empty. */
export interface ReliabilityPoint {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPrediction: number | null;
  readonly observedRate: number | null;
}

/** How a serving model fares in one window (every figure null when the window lacks what it needs). */
export interface ModelMonitoring {
  readonly predictions: number;
  /** Predictions whose label has arrived: calibration and live performance are over these. */
  readonly labelled: number;
  readonly positives: number;
  /** PSI per feature against the training rows, most drifted first. */
  readonly featureDrift: FeatureDrift[];
  readonly featurePsiMax: number | null;
  /** PSI of the window's scores against the model's scores on its training rows. */
  readonly predictionPsi: number | null;
  readonly calibration: { readonly ece: number; readonly bins: ReliabilityPoint[] } | null;
  /** AUC needs both classes among the labelled predictions; log loss needs one labelled prediction. */
  readonly live: { readonly auc: number | null; readonly logLoss: number } | null;
}

/**
 * Feature drift, prediction drift, calibration and live performance of a model over a window of its
 * predictions, against its reference. Pure: the caller reads rows and labels.
 */
export function monitorModel(
  features: readonly string[],
  reference: MonitoringReference,
  window: MonitoredWindow,
): ModelMonitoring {
  const { rows, scores, labels } = window;
  if (rows.length !== scores.length || scores.length !== labels.length) {
    throw new MlError('INVALID_ARGUMENT', 'a window needs one row, score and label (or null) per prediction');
  }
  const labelledAt = labels.flatMap((label, i) => (label === null ? [] : [i]));
  const labelledScores = labelledAt.map((i) => scores[i]);
  const labelledLabels = labelledAt.map((i) => labels[i] as 0 | 1);
  const positives = labelledLabels.filter((label) => label === 1).length;
  const drift =
    rows.length > 0 && reference.rows.length > 0 ? featureDrift(features, reference.rows, rows) : [];
  return {
    predictions: scores.length,
    labelled: labelledAt.length,
    positives,
    featureDrift: drift,
    featurePsiMax: drift.length > 0 ? Math.max(...drift.map((d) => d.psi)) : null,
    predictionPsi:
      scores.length > 0 && reference.scores.length > 0 ? populationStability(reference.scores, scores) : null,
    calibration: labelledAt.length > 0 ? reliability(labelledScores, labelledLabels) : null,
    live:
      labelledAt.length > 0
        ? {
            auc:
              positives > 0 && positives < labelledAt.length ? rocAuc(labelledScores, labelledLabels) : null,
            logLoss: logLoss(labelledScores, labelledLabels),
          }
        : null,
  };
}

function reliability(scores: readonly number[], labels: readonly number[]): ModelMonitoring['calibration'] {
  const { ece, bins } = calibration(scores, labels);
  return {
    ece,
    bins: bins.map((bin) => ({
      lower: bin.lower,
      upper: bin.upper,
      count: bin.count,
      meanPrediction: bin.count > 0 ? bin.meanPrediction : null,
      observedRate: bin.count > 0 ? bin.observedRate : null,
    })),
  };
}
