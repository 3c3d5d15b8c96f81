import { FeatureDefinition, validateFeatureDefinition } from '../features/feature-definition';
import { MlError } from '../ml-error';
import { solveSymmetricPositiveDefinite } from './linear-algebra';
import { LogisticModel, sigmoid, Standardization } from './logistic-model';

export interface TrainingOptions {
  /** L2 penalty on the standardized weights (not the bias), per example. Default 1e-3. */
  readonly l2?: number;
  /** 'balanced' weighs positives by negatives/positives; a number sets the positive weight. Default 1. */
  readonly positiveWeight?: number | 'balanced';
  readonly maxIterations?: number;
  /** Stop when no weight moves more than this. Default 1e-9. */
  readonly tolerance?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Fits L2-regularised logistic regression with Newton's method (IRLS) on standardized features.
 * Newton needs no learning rate and no shuffling: the result depends on the data alone, and is
 * the same to the last bit for the same rows in the same order.
 */
export function trainLogisticRegression(
  definition: FeatureDefinition,
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: TrainingOptions = {},
): LogisticModel {
  validateFeatureDefinition(definition);
  const dimension = definition.features.length;
  checkData(rows, labels, dimension);
  const l2 = options.l2 ?? 1e-3;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-9;
  const positives = labels.filter((label) => label === 1).length;
  const positiveWeight =
    options.positiveWeight === 'balanced'
      ? (labels.length - positives) / positives
      : (options.positiveWeight ?? 1);

  const standardization = standardize(rows, dimension);
  const z = rows.map((row) =>
    row.map((value, j) => (value - standardization.mean[j]) / standardization.std[j]),
  );
  const weights = labels.map((label) => (label === 1 ? positiveWeight : 1));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  // theta = [w_1..w_d, b]
  let theta = new Array<number>(dimension + 1).fill(0);
  theta[dimension] = Math.log((positives * positiveWeight) / (labels.length - positives));
  let iterations = 0;
  let converged = false;
  let objective = objectiveAt(theta, z, labels, weights, totalWeight, l2);

  while (iterations < maxIterations && !converged) {
    iterations += 1;
    const { gradient, hessian } = newtonSystem(theta, z, labels, weights, totalWeight, l2);
    const step = solveSymmetricPositiveDefinite(hessian, gradient);
    // Step halving keeps Newton monotone on badly scaled or nearly separable data.
    let scale = 1;
    let candidate = theta.map((value, j) => value - step[j]);
    let candidateObjective = objectiveAt(candidate, z, labels, weights, totalWeight, l2);
    while (candidateObjective > objective && scale > 1e-6) {
      scale /= 2;
      candidate = theta.map((value, j) => value - scale * step[j]);
      candidateObjective = objectiveAt(candidate, z, labels, weights, totalWeight, l2);
    }
    converged = Math.max(...step.map((value) => Math.abs(value * scale))) < tolerance;
    theta = candidate;
    objective = candidateObjective;
  }

  return {
    featureDefinition: { id: definition.id, version: definition.version, features: [...definition.features] },
    standardization,
    weights: theta.slice(0, dimension),
    bias: theta[dimension],
    training: {
      algorithm: 'newton-irls',
      examples: labels.length,
      positives,
      l2,
      positiveWeight,
      iterations,
      converged,
      objective,
      tags: { ...(options.tags ?? {}) },
    },
  };
}

function checkData(rows: readonly (readonly number[])[], labels: readonly number[], dimension: number): void {
  if (rows.length !== labels.length || rows.length === 0) {
    throw new MlError(
      'INVALID_TRAINING_DATA',
      `need as many labels as rows, and some rows (${rows.length}/${labels.length})`,
    );
  }
  if (!labels.every((label) => label === 0 || label === 1)) {
    throw new MlError('INVALID_TRAINING_DATA', 'labels must be 0 or 1');
  }
  const positives = labels.filter((label) => label === 1).length;
  if (positives === 0 || positives === labels.length) {
    throw new MlError('INVALID_TRAINING_DATA', 'training needs both fraud and legit examples');
  }
  const bad = rows.findIndex((row) => row.length !== dimension || !row.every(Number.isFinite));
  if (bad >= 0) {
    throw new MlError('INVALID_TRAINING_DATA', `row ${bad} does not hold ${dimension} finite numbers`);
  }
}

function standardize(rows: readonly (readonly number[])[], dimension: number): Standardization {
  const mean = new Array<number>(dimension).fill(0);
  const std = new Array<number>(dimension).fill(0);
  for (const row of rows) for (let j = 0; j < dimension; j += 1) mean[j] += row[j];
  for (let j = 0; j < dimension; j += 1) mean[j] /= rows.length;
  for (const row of rows) for (let j = 0; j < dimension; j += 1) std[j] += (row[j] - mean[j]) ** 2;
  // A constant feature gets std 1: it then contributes nothing, instead of dividing by zero.
  return { mean, std: std.map((sum) => Math.sqrt(sum / rows.length) || 1) };
}

function margin(theta: readonly number[], row: readonly number[]): number {
  let value = theta[row.length];
  for (let j = 0; j < row.length; j += 1) value += theta[j] * row[j];
  return value;
}

function objectiveAt(
  theta: readonly number[],
  z: readonly number[][],
  labels: readonly number[],
  weights: readonly number[],
  totalWeight: number,
  l2: number,
): number {
  let loss = 0;
  for (let i = 0; i < z.length; i += 1) {
    const m = margin(theta, z[i]);
    // log(1 + e^m) - y m, computed without overflow
    loss += weights[i] * (Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - labels[i] * m);
  }
  let penalty = 0;
  for (let j = 0; j < theta.length - 1; j += 1) penalty += theta[j] ** 2;
  return loss / totalWeight + (l2 / 2) * penalty;
}

function newtonSystem(
  theta: readonly number[],
  z: readonly number[][],
  labels: readonly number[],
  weights: readonly number[],
  totalWeight: number,
  l2: number,
): { gradient: number[]; hessian: number[][] } {
  const size = theta.length;
  const gradient = new Array<number>(size).fill(0);
  const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const x = new Array<number>(size);
  for (let i = 0; i < z.length; i += 1) {
    const row = z[i];
    for (let j = 0; j < row.length; j += 1) x[j] = row[j];
    x[size - 1] = 1;
    const p = sigmoid(margin(theta, row));
    const residual = (weights[i] * (p - labels[i])) / totalWeight;
    const curvature = (weights[i] * p * (1 - p)) / totalWeight;
    for (let j = 0; j < size; j += 1) {
      gradient[j] += residual * x[j];
      const cj = curvature * x[j];
      for (let k = 0; k <= j; k += 1) hessian[j][k] += cj * x[k];
    }
  }
  for (let j = 0; j < size; j += 1) for (let k = 0; k < j; k += 1) hessian[k][j] = hessian[j][k];
  for (let j = 0; j < size - 1; j += 1) {
    gradient[j] += l2 * theta[j];
    hessian[j][j] += l2;
  }
  return { gradient, hessian };
}
