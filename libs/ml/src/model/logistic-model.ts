import type { FeatureDefinition } from '../features/feature-definition';
import { MlError } from '../ml-error';

/** Per-feature mean and standard deviation of the training data; applied before the weights. */
export interface Standardization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface TrainingMetadata {
  readonly algorithm: 'newton-irls';
  readonly examples: number;
  readonly positives: number;
  readonly l2: number;
  /** Weight of a positive example relative to a negative one. */
  readonly positiveWeight: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Mean weighted log loss on the training data, plus the L2 term, at the end. */
  readonly objective: number;
  /** Free-form lineage the caller passes in (epoch, dataset checksum, seed, ...). */
  readonly tags: Readonly<Record<string, string>>;
}

/** A trained logistic-regression model: standardize, then sigmoid(w . z + b). */
export interface LogisticModel {
  readonly featureDefinition: FeatureDefinition;
  readonly standardization: Standardization;
  readonly weights: readonly number[];
  readonly bias: number;
  readonly training: TrainingMetadata;
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The fraud probability of one feature vector, in the model's feature order. */
export function scoreVector(model: LogisticModel, values: readonly number[]): number {
  const { mean, std } = model.standardization;
  if (values.length !== model.weights.length) {
    throw new MlError(
      'FEATURE_DEFINITION_MISMATCH',
      `model expects ${model.weights.length} features (${model.featureDefinition.id}@${model.featureDefinition.version}), got ${values.length}`,
    );
  }
  let margin = model.bias;
  for (let j = 0; j < values.length; j += 1) margin += model.weights[j] * ((values[j] - mean[j]) / std[j]);
  return sigmoid(margin);
}
