import { MlError } from '../ml-error';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log loss takes their log. */
export const LOG_LOSS_EPSILON = 1e-15;

export interface ReliabilityBin {
  /** The bin covers predictions in [lower, upper); the last bin includes 1. */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin (NaN when empty). */
  readonly meanPrediction: number;
  /** Observed fraud rate in the bin (NaN when empty). */
  readonly observedRate: number;
}

export interface Calibration {
  /** Expected calibration error: the count-weighted mean of |meanPrediction - observedRate|. */
  readonly ece: number;
  readonly bins: ReliabilityBin[];
}

export interface Evaluation {
  readonly examples: number;
  readonly positives: number;
  readonly auc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly calibration: Calibration;
}

/**
 * Area under the ROC curve from ranks (Mann-Whitney U): the probability that a random fraud
 * scores above a random legit; tied scores share their average rank, so a tie counts one half.
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  check(scores, labels);
  const order = scores.map((_, index) => index).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) {
      if (labels[order[k]] === 1) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new MlError('INVALID_ARGUMENT', 'AUC needs both fraud and legit examples');
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function logLoss(scores: readonly number[], labels: readonly number[]): number {
  check(scores, labels);
  let total = 0;
  for (let i = 0; i < scores.length; i += 1) {
    const p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, scores[i]));
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / scores.length;
}

export function brierScore(scores: readonly number[], labels: readonly number[]): number {
  check(scores, labels);
  let total = 0;
  for (let i = 0; i < scores.length; i += 1) total += (scores[i] - labels[i]) ** 2;
  return total / scores.length;
}

/** Reliability table over equal-width bins of the predicted probability, and its ECE. */
export function calibration(
  scores: readonly number[],
  labels: readonly number[],
  binCount = 10,
): Calibration {
  check(scores, labels);
  const counts = new Array<number>(binCount).fill(0);
  const predicted = new Array<number>(binCount).fill(0);
  const observed = new Array<number>(binCount).fill(0);
  for (let i = 0; i < scores.length; i += 1) {
    const bin = Math.min(binCount - 1, Math.floor(scores[i] * binCount));
    counts[bin] += 1;
    predicted[bin] += scores[i];
    observed[bin] += labels[i];
  }
  let ece = 0;
  const bins = counts.map((count, bin) => {
    const meanPrediction = predicted[bin] / count;
    const observedRate = observed[bin] / count;
    if (count > 0) ece += (count / scores.length) * Math.abs(meanPrediction - observedRate);
    return { lower: bin / binCount, upper: (bin + 1) / binCount, count, meanPrediction, observedRate };
  });
  return { ece, bins };
}

export function evaluate(scores: readonly number[], labels: readonly number[], binCount = 10): Evaluation {
  return {
    examples: scores.length,
    positives: labels.filter((label) => label === 1).length,
    auc: rocAuc(scores, labels),
    logLoss: logLoss(scores, labels),
    brier: brierScore(scores, labels),
    calibration: calibration(scores, labels, binCount),
  };
}

function check(scores: readonly number[], labels: readonly number[]): void {
  if (scores.length !== labels.length || scores.length === 0) {
    throw new MlError(
      'INVALID_ARGUMENT',
      `need as many labels as scores, and some (${scores.length}/${labels.length})`,
    );
  }
  if (!scores.every((score) => score >= 0 && score <= 1)) {
    throw new MlError('INVALID_ARGUMENT', 'scores must be probabilities in [0, 1]');
  }
  if (!labels.every((label) => label === 0 || label === 1)) {
    throw new MlError('INVALID_ARGUMENT', 'labels must be 0 or 1');
  }
}
