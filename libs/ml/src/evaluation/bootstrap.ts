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
  const { resamples, confidence } = checkedOptions(options);
  if (baseline.length !== labels.length || candidate.length !== labels.length) {
    throw new MlError('INVALID_ARGUMENT', 'both models need a score for every labelled example');
  }
  const positives = labels.flatMap((label, index) => (label === 1 ? [index] : []));
  const negatives = labels.flatMap((label, index) => (label === 1 ? [] : [index]));
  const figures = (indices: readonly number[]) => {
    const y = indices.map((index) => labels[index]);
    return {
      baseline: figuresOf(
        indices.map((index) => baseline[index]),
        y,
      ),
      candidate: figuresOf(
        indices.map((index) => candidate[index]),
        y,
      ),
    };
  };
  const all = figures(labels.map((_, index) => index));
  const random = new Random(options.seed ?? 'gyre-bootstrap');
  const aucDeltas: number[] = [];
  const logLossDeltas: number[] = [];
  for (let r = 0; r < resamples; r += 1) {
    const sample = figures([...resample(random, positives), ...resample(random, negatives)]);
    aucDeltas.push(sample.candidate.auc - sample.baseline.auc);
    logLossDeltas.push(sample.candidate.logLoss - sample.baseline.logLoss);
  }
  return {
    examples: labels.length,
    positives: positives.length,
    ...all,
    aucDelta: percentileInterval(all.candidate.auc - all.baseline.auc, aucDeltas, confidence),
    logLossDelta: percentileInterval(all.candidate.logLoss - all.baseline.logLoss, logLossDeltas, confidence),
  };
}

/** Labelled examples one model scored: its scores and the labels, index for index. */
export interface ScoredExamples {
  readonly scores: readonly number[];
  readonly labels: readonly number[];
}

/** One model on two independent sets of events (before and after): each set's figures and the differences. */
export interface UnpairedComparison {
  readonly before: { readonly examples: number; readonly auc: number; readonly logLoss: number };
  readonly after: { readonly examples: number; readonly auc: number; readonly logLoss: number };
  /** after AUC - before AUC. */
  readonly aucDelta: Interval;
  /** after log loss - before log loss. */
  readonly logLossDelta: Interval;
}

/**
 * How one model's figures changed between two independent sets of events (a week before drift and a week after):
 * a stratified percentile bootstrap that resamples each set on its own, its fraud and legit examples separately.
 * Unlike comparePaired, the sets hold different events, so the interval is wider for the same sizes.
 */
export function compareUnpaired(
  before: ScoredExamples,
  after: ScoredExamples,
  options: BootstrapOptions = {},
): UnpairedComparison {
  const { resamples, confidence } = checkedOptions(options);
  for (const set of [before, after]) {
    if (set.scores.length !== set.labels.length)
      throw new MlError('INVALID_ARGUMENT', 'every labelled example needs a score');
    if (!set.labels.includes(1) || !set.labels.includes(0))
      throw new MlError('INVALID_ARGUMENT', 'each set needs fraud and legit examples');
  }
  const strata = (set: ScoredExamples) => [
    set.labels.flatMap((label, index) => (label === 1 ? [index] : [])),
    set.labels.flatMap((label, index) => (label === 1 ? [] : [index])),
  ];
  const figures = (set: ScoredExamples, indices: readonly number[]) =>
    figuresOf(
      indices.map((index) => set.scores[index]),
      indices.map((index) => set.labels[index]),
    );
  const [beforeStrata, afterStrata] = [strata(before), strata(after)];
  const everything = (set: ScoredExamples) => set.labels.map((_, index) => index);
  const first = figures(before, everything(before));
  const second = figures(after, everything(after));
  const random = new Random(options.seed ?? 'gyre-bootstrap');
  const aucDeltas: number[] = [];
  const logLossDeltas: number[] = [];
  for (let r = 0; r < resamples; r += 1) {
    const a = figures(
      before,
      beforeStrata.flatMap((indices) => resample(random, indices)),
    );
    const b = figures(
      after,
      afterStrata.flatMap((indices) => resample(random, indices)),
    );
    aucDeltas.push(b.auc - a.auc);
    logLossDeltas.push(b.logLoss - a.logLoss);
  }
  return {
    before: { examples: before.labels.length, ...first },
    after: { examples: after.labels.length, ...second },
    aucDelta: percentileInterval(second.auc - first.auc, aucDeltas, confidence),
    logLossDelta: percentileInterval(second.logLoss - first.logLoss, logLossDeltas, confidence),
  };
}

function checkedOptions(options: BootstrapOptions): { resamples: number; confidence: number } {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1 || !(confidence > 0 && confidence < 1)) {
    throw new MlError('INVALID_ARGUMENT', 'a bootstrap needs resamples >= 1 and a confidence in (0, 1)');
  }
  return { resamples, confidence };
}

const figuresOf = (scores: readonly number[], labels: readonly number[]) => ({
  auc: rocAuc(scores, labels),
  logLoss: logLoss(scores, labels),
});

function percentileInterval(estimate: number, deltas: number[], confidence: number): Interval {
  const tail = (1 - confidence) / 2;
  deltas.sort((a, b) => a - b);
  return { estimate, low: quantile(deltas, tail), high: quantile(deltas, 1 - tail) };
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
