import { MlError } from '../ml-error';
import {
  FeatureDefinition,
  featureDefinitionKey,
  FRAUD_FEATURES_V1,
  FRAUD_FEATURES_V2,
  validateFeatureDefinition,
} from './feature-definition';

/**
 * Every feature definition version Gyre can compute, by `id@version`. Versions are append-only:
 * a stage, a dataset or a model names one, and that name must keep meaning the same features.
 */
export const FEATURE_DEFINITIONS: readonly FeatureDefinition[] = [FRAUD_FEATURES_V1, FRAUD_FEATURES_V2].map(
  validateFeatureDefinition,
);

const BY_KEY = new Map(
  FEATURE_DEFINITIONS.map((definition) => [featureDefinitionKey(definition), definition]),
);
const REFERENCE = /^([a-z0-9][a-z0-9._-]*)@([1-9][0-9]{0,5})$/;

/** The definition a reference (`fraud.card-features@2`) names; UNKNOWN_FEATURE_DEFINITION otherwise. */
export function resolveFeatureDefinition(reference: string): FeatureDefinition {
  const definition = REFERENCE.test(reference) ? BY_KEY.get(reference) : undefined;
  if (!definition) {
    const known = [...BY_KEY.keys()].join(', ');
    throw new MlError(
      'UNKNOWN_FEATURE_DEFINITION',
      `unknown feature definition "${reference.slice(0, 100)}" (known: ${known})`,
    );
  }
  return definition;
}

/** Every version of one definition id, oldest first. */
export function featureDefinitionVersions(id: string): FeatureDefinition[] {
  return FEATURE_DEFINITIONS.filter((definition) => definition.id === id);
}
