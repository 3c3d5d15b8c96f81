import { MlError } from '../ml-error';
import { Random } from '../random/random';
import { logLoss, rocAuc } from './metrics';

/** An estimate with its percentile bootstrap interval. */
export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** Two models scored on the same examples: each one's figures and the paired differences. */
export interface PairedComparison {
  readonly examples: number;
  readonly positives: number;
  readonly baseline: { readonly auc: number; readonly logLoss: number };
  readonly candidate: { readonly auc: number; readonly logLoss: number };
  /** candidate AUC - baseline AUC: above 0 is better. */
  readonly aucDelta: Interval;
  /** candidate log loss - baseline log loss: below 0 is better. */
  readonly logLossDelta: Interval;
}

export interface BootstrapOptions {
  /** Default 1000. */
  readonly resamples?: number;
  /** Default 0.95. */
  readonly confidence?: number;
  /** Seeds the resampling: the same inputs and seed give the same interval. */
  readonly seed?: string | number;
}

/** What an interval on a difference supports: a change only when it excludes no change. */
export type Change = 'improved' | 'worse' | 'no clear change';

export function changeOf(delta: Interval, higherIsBetter: boolean): Change {
  if (delta.low > 0) return higherIsBetter ? 'improved' : 'worse';
  if (delta.high < 0) return higherIsBetter ? 'worse' : 'improved';
  return 'no clear change';
}

/**
 * Compares a candidate with a baseline on the same labelled examples by a paired, stratified
 * percentile bootstrap: every resample draws fraud and legit examples separately (so each has both
 * classes and the label rate stays fixed) and scores both models on the same draw.
 */
export function comparePaired(
  baseline: readonly number[],
  candidate: readonly number[],
  labels: readonly number[],
  options: BootstrapOptions = {},
): PairedComparison {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (baseline.length !== labels.length || candidate.length !== labels.length) {
    throw new MlError('INVALID_ARGUMENT', 'both models need a score for every labelled example');
  }
  if (!Number.isInteger(resamples) || resamples < 1 || !(confidence > 0 && confidence < 1)) {
    throw new MlError('INVALID_ARGUMENT', 'a bootstrap needs resamples >= 1 and a confidence in (0, 1)');
  }
  const positives = labels.flatMap((label, index) => (label === 1 ? [index] : []));
  const negatives = labels.flatMap((label, index) => (label === 1 ? [] : [index]));
  const figures = (indices: readonly number[]) => {
    const y = indices.map((index) => labels[index]);
    const b = indices.map((index) => baseline[index]);
    const c = indices.map((index) => candidate[index]);
    return {
      baseline: { auc: rocAuc(b, y), logLoss: logLoss(b, y) },
      candidate: { auc: rocAuc(c, y), logLoss: logLoss(c, y) },
    };
  };
  const all = figures(labels.map((_, index) => index));
  const random = new Random(options.seed ?? 'gyre-bootstrap');
  const aucDeltas: number[] = [];
  const logLossDeltas: number[] = [];
  for (let r = 0; r < resamples; r += 1) {
    const draw = [...resample(random, positives), ...resample(random, negatives)];
    const sample = figures(draw);
    aucDeltas.push(sample.candidate.auc - sample.baseline.auc);
    logLossDeltas.push(sample.candidate.logLoss - sample.baseline.logLoss);
  }
  const tail = (1 - confidence) / 2;
  const interval = (estimate: number, deltas: number[]): Interval => {
    deltas.sort((a, b) => a - b);
    return { estimate, low: quantile(deltas, tail), high: quantile(deltas, 1 - tail) };
  };
  return {
    examples: labels.length,
    positives: positives.length,
    ...all,
    aucDelta: interval(all.candidate.auc - all.baseline.auc, aucDeltas),
    logLossDelta: interval(all.candidate.logLoss - all.baseline.logLoss, logLossDeltas),
  };
}

/** The q-quantile of sorted values, interpolating linearly between order statistics. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0 || !(q >= 0 && q <= 1)) {
    throw new MlError('INVALID_ARGUMENT', 'a quantile needs values and q in [0, 1]');
  }
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function resample(random: Random, indices: readonly number[]): number[] {
  return indices.map(() => indices[random.int(indices.length)]);
}
