import type { ModelMonitoring } from './model-monitoring';
import {
  applyThresholdChanges,
  DEFAULT_MONITORING_THRESHOLDS,
  judgedMeasures,
  thresholdCrossings,
} from './monitoring-thresholds';

const monitoring = (figures: Partial<ModelMonitoring> = {}): ModelMonitoring => ({
  predictions: 500,
  labelled: 400,
  positives: 20,
  featureDrift: [],
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
      { measure: 'featurePsi', value: 0.31, threshold: 0.2 },
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

  it('rejects a body that is not an object', () => {
    expect(() => applyThresholdChanges(DEFAULT_MONITORING_THRESHOLDS, [0.2])).toThrow(
      expect.objectContaining({ code: 'INVALID_MONITORING_THRESHOLDS' }),
    );
  });
});
