import { FEATURE_CATALOG, FRAUD_FEATURES_V1, FRAUD_FEATURES_V2 } from './feature-definition';
import { FEATURE_DEFINITIONS, featureDefinitionVersions, resolveFeatureDefinition } from './feature-registry';

describe('feature definition registry', () => {
  it('resolves each registered version by id@version', () => {
    expect(resolveFeatureDefinition('fraud.card-features@1')).toBe(FRAUD_FEATURES_V1);
    expect(resolveFeatureDefinition('fraud.card-features@2')).toBe(FRAUD_FEATURES_V2);
    expect(featureDefinitionVersions('fraud.card-features').map((d) => d.version)).toEqual([1, 2]);
  });

  it('refuses an unknown version, an unknown id and a malformed reference with UNKNOWN_FEATURE_DEFINITION', () => {
    for (const reference of ['fraud.card-features@9', 'other@1', 'fraud.card-features', '@1', 'x@0'])
      expect(() => resolveFeatureDefinition(reference)).toThrow(
        expect.objectContaining({ code: 'UNKNOWN_FEATURE_DEFINITION' }),
      );
  });

  it('keeps version 1 at the thirteen features it shipped with, although the catalog grew', () => {
    expect(FRAUD_FEATURES_V1.features).toHaveLength(13);
    expect(Object.keys(FEATURE_CATALOG).length).toBeGreaterThan(13);
    expect(FRAUD_FEATURES_V1.features).not.toContain('count_6h');
  });

  it('registers only valid definitions with distinct keys', () => {
    const keys = FEATURE_DEFINITIONS.map((d) => `${d.id}@${d.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(FRAUD_FEATURES_V2.features).toContain('count_6h');
  });
});
