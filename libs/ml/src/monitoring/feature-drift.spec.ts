import { featureDrift } from './feature-drift';
import { populationStability } from './population-stability';

describe(featureDrift.name, () => {
  const reference = Array.from({ length: 100 }, (_, i) => [i, i % 10]);

  it('ranks the features by PSI against the reference rows, the most drifted first', () => {
    const actual = reference.map(([amount, count]) => [amount + 50, count]);

    expect(featureDrift(['amount', 'count'], reference, actual)).toEqual([
      {
        feature: 'amount',
        psi: populationStability(
          reference.map((row) => row[0]),
          actual.map((row) => row[0]),
        ),
      },
      { feature: 'count', psi: 0 },
    ]);
  });

  it('rejects rows whose width is not the number of features', () => {
    expect(() => featureDrift(['amount'], reference, reference)).toThrow(
      expect.objectContaining({ code: 'FEATURE_DEFINITION_MISMATCH' }),
    );
  });
});
