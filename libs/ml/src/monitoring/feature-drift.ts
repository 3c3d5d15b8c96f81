import { MlError } from '../ml-error';
import { populationStability } from './population-stability';

export interface FeatureDrift {
  readonly feature: string;
  readonly psi: number;
}

/**
 * PSI of every feature (columns of the rows, named by `features`) of live rows against a model's
 * training rows, most drifted first (ties by name).
 */
export function featureDrift(
  features: readonly string[],
  reference: readonly (readonly number[])[],
  actual: readonly (readonly number[])[],
): FeatureDrift[] {
  const width = features.length;
  if ([...reference, ...actual].some((row) => row.length !== width)) {
    throw new MlError('FEATURE_DEFINITION_MISMATCH', `every row needs ${width} values, one per feature`);
  }
  return features
    .map((feature, j) => ({
      feature,
      psi: populationStability(
        reference.map((row) => row[j]),
        actual.map((row) => row[j]),
      ),
    }))
    .sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : 1));
}
