import { datasetCard } from './dataset-card';

describe(datasetCard.name, () => {
  it('counts rows, labels and held-out rows, and summarizes each feature over its present values', () => {
    const card = datasetCard(
      'fraud.card-features@1',
      ['amount', 'count'],
      [
        { values: [10, 1], label: 0, heldOut: false, eventTime: 2_000 },
        { values: [20, null], label: 1, heldOut: true, eventTime: 1_000 },
        { values: [30, 3], label: 0, heldOut: false, eventTime: null },
        { values: [40, Number.NaN], label: 0, heldOut: false, eventTime: 3_000 },
      ],
    );

    expect(card).toEqual({
      rows: 4,
      positives: 1,
      labelRate: 0.25,
      heldOutRows: 1,
      heldOutShare: 0.25,
      eventTime: { from: 1_000, to: 3_000 },
      featureDefinition: 'fraud.card-features@1',
      features: [
        // mean 25; deviations -15, -5, 5, 15: variance (225 + 25 + 25 + 225) / 4 = 125
        { name: 'amount', mean: 25, std: Math.sqrt(125), missing: 0 },
        { name: 'count', mean: 2, std: 1, missing: 2 },
      ],
    });
  });

  it('has null rates and no time range for an empty dataset', () => {
    expect(datasetCard('d@1', ['amount'], [])).toEqual({
      rows: 0,
      positives: 0,
      labelRate: null,
      heldOutRows: 0,
      heldOutShare: null,
      eventTime: null,
      featureDefinition: 'd@1',
      features: [{ name: 'amount', mean: null, std: null, missing: 0 }],
    });
  });

  it('rejects a row whose width is not the number of features', () => {
    expect(() =>
      datasetCard('d@1', ['amount'], [{ values: [1, 2], label: 0, heldOut: false, eventTime: null }]),
    ).toThrow(expect.objectContaining({ code: 'FEATURE_DEFINITION_MISMATCH' }));
  });
});
