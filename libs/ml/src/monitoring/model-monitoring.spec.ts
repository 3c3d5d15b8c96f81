import { calibration, logLoss } from '../evaluation/metrics';
import { monitorModel } from './model-monitoring';
import { populationStability } from './population-stability';

describe(monitorModel.name, () => {
  const reference = {
    rows: Array.from({ length: 100 }, (_, i) => [i, i % 10]),
    scores: Array.from({ length: 100 }, (_, i) => i / 100),
  };

  it('finds no drift in a window that looks like the training rows', () => {
    const monitoring = monitorModel(['amount', 'count'], reference, {
      ...reference,
      labels: reference.scores.map(() => null),
    });

    expect(monitoring).toMatchObject({
      predictions: 100,
      labelled: 0,
      featurePsiMax: 0,
      predictionPsi: 0,
      calibration: null,
      live: null,
    });
  });

  it('reports the drifted feature, the shifted scores, calibration and live AUC on the labelled part only', () => {
    const rows = reference.rows.map(([amount, count]) => [amount + 50, count]);
    const scores = reference.scores.map((score) => Math.min(1, score + 0.3));
    // Labels arrived for the first four predictions only: two legit (0.3, 0.31), two fraud (0.32, 0.33).
    const labels = scores.map((_, i) => (i < 4 ? (i < 2 ? 0 : 1) : null));

    const monitoring = monitorModel(['amount', 'count'], reference, { rows, scores, labels });

    expect(monitoring.featureDrift[0]).toEqual({
      feature: 'amount',
      psi: populationStability(
        reference.rows.map((row) => row[0]),
        rows.map((row) => row[0]),
      ),
    });
    expect(monitoring.featurePsiMax).toBe(monitoring.featureDrift[0].psi);
    expect(monitoring.predictionPsi).toBeCloseTo(populationStability(reference.scores, scores), 12);
    expect(monitoring).toMatchObject({ predictions: 100, labelled: 4, positives: 2 });
    expect(monitoring.live?.auc).toBe(1);
    expect(monitoring.live?.logLoss).toBeCloseTo(logLoss(scores.slice(0, 4), [0, 0, 1, 1]), 12);
    expect(monitoring.calibration?.ece).toBeCloseTo(calibration(scores.slice(0, 4), [0, 0, 1, 1]).ece, 12);
    // The four labelled scores share the [0.3, 0.4) bin: mean prediction 0.315, observed rate 0.5.
    const bin = monitoring.calibration!.bins[3];
    expect(bin).toMatchObject({ lower: 0.3, count: 4, observedRate: 0.5 });
    expect(bin.meanPrediction).toBeCloseTo(0.315, 12);
    expect(monitoring.calibration!.bins[0]).toMatchObject({
      count: 0,
      meanPrediction: null,
      observedRate: null,
    });
  });

  it('leaves AUC null when the labelled predictions hold one class', () => {
    const monitoring = monitorModel(['amount', 'count'], reference, {
      rows: reference.rows.slice(0, 2),
      scores: [0.1, 0.2],
      labels: [0, 0],
    });

    expect(monitoring.live).toEqual({ auc: null, logLoss: logLoss([0.1, 0.2], [0, 0]) });
  });

  it('reports no drift for an empty window instead of failing', () => {
    const monitoring = monitorModel(['amount', 'count'], reference, { rows: [], scores: [], labels: [] });

    expect(monitoring).toMatchObject({
      predictions: 0,
      featureDrift: [],
      featurePsiMax: null,
      predictionPsi: null,
    });
  });

  it('rejects a window whose rows, scores and labels differ in number', () => {
    expect(() =>
      monitorModel(['amount', 'count'], reference, { rows: [], scores: [0.1], labels: [] }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
