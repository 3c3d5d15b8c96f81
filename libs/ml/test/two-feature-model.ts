import type { LogisticModel } from '../src/model/logistic-model';

/** A small trained-looking model over two card features, shared by the scorer and artifact tests. */
export function twoFeatureModel(training: Partial<LogisticModel['training']> = {}): LogisticModel {
  return {
    featureDefinition: { id: 'fraud.card-features', version: 1, features: ['log_amount', 'count_1h'] },
    standardization: { mean: [3.2, 0.4], std: [1.1, 0.7] },
    weights: [0.8, 1.25],
    bias: -3.5,
    training: {
      algorithm: 'newton-irls',
      examples: 1000,
      positives: 30,
      l2: 0.001,
      positiveWeight: 1,
      iterations: 7,
      converged: true,
      objective: 0.1,
      tags: {},
      ...training,
    },
  };
}
