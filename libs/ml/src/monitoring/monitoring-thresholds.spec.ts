import type { ModelMonitoring } from './model-monitoring';
import {
  applyThresholdChanges,
  DEFAULT_MONITORING_THRESHOLDS,
  featurePsiThreshold,
  judgedMeasures,
  thresholdCrossings,
} from './monitoring-thresholds';

// One feature drifting by featurePsiMax unless the figures list each feature's drift.
const monitoring = (figures: Partial<ModelMonitoring> = {}): ModelMonitoring => ({
  predictions: 500,
  labelled: 400,
  positives: 20,
  featureDrift: [{ feature: 'log_amount', psi: figures.featurePsiMax ?? 0.05 }],
  featurePsiMax: 0.05,
  predictionPsi: 0.05,
  calibration: { ece: 0.01, bins: [] },
  live: { auc: 0.9, logLoss: 0.1 },
  ...figures,
});

describe(thresholdCrossings.name, () => {
  it('crosses nothing for a healthy window', () => {
    expect(thresholdCrossings(monitoring(), DEFAULT_MONITORING_THRESHOLDS)).toEqual([]);
  });

  it('names every crossed threshold with its value: drift and ECE above, AUC below', () => {
    const crossings = thresholdCrossings(
      monitoring({
        featurePsiMax: 0.31,
        predictionPsi: 0.25,
        calibration: { ece: 0.08, bins: [] },
        live: { auc: 0.6, logLoss: 0.4 },
      }),
      DEFAULT_MONITORING_THRESHOLDS,
    );

    expect(crossings).toEqual([
      { measure: 'featurePsi', feature: 'log_amount', value: 0.31, threshold: 0.2 },
      { measure: 'predictionPsi', value: 0.25, threshold: 0.2 },
      { measure: 'ece', value: 0.08, threshold: 0.05 },
      { measure: 'liveAuc', value: 0.6, threshold: 0.7 },
    ]);
  });

  it('does not judge a window with fewer predictions or labels than the minimums', () => {
    const small = monitoring({
      predictions: 99,
      labelled: 99,
      featurePsiMax: 2,
      predictionPsi: 2,
      calibration: { ece: 0.5, bins: [] },
      live: { auc: 0.1, logLoss: 3 },
    });

    expect(thresholdCrossings(small, DEFAULT_MONITORING_THRESHOLDS)).toEqual([]);
  });

  it('is not crossed at the threshold itself', () => {
    expect(thresholdCrossings(monitoring({ featurePsiMax: 0.2 }), DEFAULT_MONITORING_THRESHOLDS)).toEqual([]);
  });
});

describe('per-feature PSI thresholds', () => {
  // A warm-up feature (a card's history grows as the loop runs) drifts by design; the others do not.
  const drifted = monitoring({
    featureDrift: [
      { feature: 'log_card_history', psi: 0.9 },
      { feature: 'merchant_fraud_rate', psi: 0.3 },
      { feature: 'log_amount', psi: 0.1 },
    ],
    featurePsiMax: 0.9,
  });

  it('judges every feature by the default, reporting the most drifted one over it', () => {
    expect(thresholdCrossings(drifted, DEFAULT_MONITORING_THRESHOLDS)).toEqual([
      { measure: 'featurePsi', feature: 'log_card_history', value: 0.9, threshold: 0.2 },
    ]);
  });

  it('judges a feature with an override by its own threshold, the others by the default', () => {
    const thresholds = { ...DEFAULT_MONITORING_THRESHOLDS, featurePsiPerFeature: { log_card_history: 1 } };

    expect(thresholdCrossings(drifted, thresholds)).toEqual([
      { measure: 'featurePsi', feature: 'merchant_fraud_rate', value: 0.3, threshold: 0.2 },
    ]);
    expect(featurePsiThreshold(thresholds, 'log_card_history')).toBe(1);
    expect(featurePsiThreshold(thresholds, 'log_amount')).toBe(0.2);
  });

  it('never judges an excluded feature, and judges no drift when every drifting feature is excluded', () => {
    const thresholds = {
      ...DEFAULT_MONITORING_THRESHOLDS,
      featurePsiExcluded: ['log_card_history', 'merchant_fraud_rate'],
    };

    expect(thresholdCrossings(drifted, thresholds)).toEqual([]);
    expect(featurePsiThreshold(thresholds, 'log_card_history')).toBeUndefined();
    expect(judgedMeasures(drifted, thresholds)).toContain('featurePsi');
    const onlyExcluded = monitoring({ featureDrift: [{ feature: 'log_card_history', psi: 0.9 }] });
    expect(judgedMeasures(onlyExcluded, thresholds)).not.toContain('featurePsi');
  });
});

describe(judgedMeasures.name, () => {
  it('judges drift on enough predictions and calibration and AUC on enough labels', () => {
    expect(judgedMeasures(monitoring(), DEFAULT_MONITORING_THRESHOLDS)).toEqual([
      'featurePsi',
      'predictionPsi',
      'ece',
      'liveAuc',
    ]);
    expect(
      judgedMeasures(
        monitoring({ labelled: 99, live: { auc: null, logLoss: 1 } }),
        DEFAULT_MONITORING_THRESHOLDS,
      ),
    ).toEqual(['featurePsi', 'predictionPsi']);
  });
});

describe(applyThresholdChanges.name, () => {
  it('applies the given fields over the current thresholds', () => {
    expect(
      applyThresholdChanges(DEFAULT_MONITORING_THRESHOLDS, { featurePsi: 0.1, minLabelled: 50 }),
    ).toEqual({
      ...DEFAULT_MONITORING_THRESHOLDS,
      featurePsi: 0.1,
      minLabelled: 50,
    });
  });

  it('names each bad field with a JSON pointer', () => {
    let thrown: unknown;
    try {
      applyThresholdChanges(DEFAULT_MONITORING_THRESHOLDS, { ece: 2, minPredictions: 1.5, psi: 0.1 });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toMatchObject({
      code: 'INVALID_MONITORING_THRESHOLDS',
      problems: [
        { pointer: '/ece', detail: 'must be a number in [0, 1]' },
        { pointer: '/minPredictions', detail: 'must be an integer in [1, 1000000]' },
        { pointer: '/psi', detail: expect.stringContaining('unknown threshold') },
      ],
    });
  });

  it('replaces the per-feature overrides and the exclusion list (sorted, without duplicates)', () => {
    const current = { ...DEFAULT_MONITORING_THRESHOLDS, featurePsiPerFeature: { log_amount: 0.5 } };

    expect(
      applyThresholdChanges(current, {
        featurePsiPerFeature: { log_card_history: 1 },
        featurePsiExcluded: ['b_feature', 'a_feature', 'b_feature'],
      }),
    ).toEqual({
      ...DEFAULT_MONITORING_THRESHOLDS,
      featurePsiPerFeature: { log_card_history: 1 },
      featurePsiExcluded: ['a_feature', 'b_feature'],
    });
    expect(applyThresholdChanges(current, { featurePsiPerFeature: {} }).featurePsiPerFeature).toEqual({});
  });

  it('names each bad override and excluded name by its pointer', () => {
    let thrown: unknown;
    try {
      applyThresholdChanges(DEFAULT_MONITORING_THRESHOLDS, {
        featurePsiPerFeature: { log_card_history: -1, 'a/b': 0.3, ok_feature: 'high' },
        featurePsiExcluded: ['log_amount', 7, ''],
      });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toMatchObject({
      code: 'INVALID_MONITORING_THRESHOLDS',
      problems: [
        { pointer: '/featurePsiPerFeature/log_card_history', detail: 'must be a number in [0, 100]' },
        { pointer: '/featurePsiPerFeature/a~1b', detail: expect.stringContaining('must be a feature name') },
        { pointer: '/featurePsiPerFeature/ok_feature', detail: 'must be a number in [0, 100]' },
        { pointer: '/featurePsiExcluded/1', detail: expect.stringContaining('must be a feature name') },
        { pointer: '/featurePsiExcluded/2', detail: expect.stringContaining('must be a feature name') },
      ],
    });
    for (const [field, value] of [
      ['featurePsiPerFeature', [1]],
      ['featurePsiExcluded', 'log_amount'],
    ] as const)
      expect(() => applyThresholdChanges(DEFAULT_MONITORING_THRESHOLDS, { [field]: value })).toThrow(
        expect.objectContaining({ problems: [expect.objectContaining({ pointer: `/${field}` })] }),
      );
  });

  it('rejects a body that is not an object', () => {
    expect(() => applyThresholdChanges(DEFAULT_MONITORING_THRESHOLDS, [0.2])).toThrow(
      expect.objectContaining({ code: 'INVALID_MONITORING_THRESHOLDS' }),
    );
  });
});
