import { brierScore, calibration, evaluate, logLoss, rocAuc } from './metrics';

describe(rocAuc.name, () => {
  it('is 1 for a perfect ranking, 0 for an inverted one and 0.5 when every score ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('counts a tie between a fraud and a legit as one half', () => {
    // pairs (pos, neg): (0.4 vs 0.1) win, (0.4 vs 0.4) half, (0.9 vs both) wins: 3.5 / 4
    expect(rocAuc([0.1, 0.4, 0.4, 0.9], [0, 0, 1, 1])).toBe(0.875);
  });

  it('agrees with counting every pair on random data', () => {
    const scores = [0.3, 0.7, 0.7, 0.1, 0.5, 0.9, 0.3, 0.2];
    const labels = [0, 1, 0, 0, 1, 1, 1, 0];
    let wins = 0;
    let pairs = 0;
    scores.forEach((p, i) =>
      scores.forEach((n, j) => {
        if (labels[i] !== 1 || labels[j] !== 0) return;
        pairs += 1;
        wins += p > n ? 1 : p === n ? 0.5 : 0;
      }),
    );

    expect(rocAuc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });

  it('rejects a single-class sample as INVALID_ARGUMENT', () => {
    expect(() => rocAuc([0.1, 0.2], [0, 0])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe(logLoss.name, () => {
  it('is the mean negative log likelihood, clipped so a confident mistake stays finite', () => {
    expect(logLoss([0.8, 0.4], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(logLoss([0], [1])).toBe(-Math.log(1e-15));
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 0);
  });

  it('rejects scores outside [0, 1]', () => {
    expect(() => logLoss([1.2], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe(brierScore.name, () => {
  it('is the mean squared error of the probabilities', () => {
    expect(brierScore([0.8, 0.4], [1, 0])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });
});

describe(calibration.name, () => {
  it('builds a reliability table and weighs each bin’s gap by its share of examples', () => {
    const result = calibration([0.05, 0.15, 0.15, 0.95], [0, 0, 1, 1], 10);

    expect(result.bins).toHaveLength(10);
    expect(result.bins[1]).toEqual({
      lower: 0.1,
      upper: 0.2,
      count: 2,
      meanPrediction: 0.15,
      observedRate: 0.5,
    });
    expect(result.bins[9]).toMatchObject({ count: 1, meanPrediction: 0.95, observedRate: 1 });
    expect(result.bins[5].count).toBe(0);
    expect(result.ece).toBeCloseTo((1 / 4) * 0.05 + (2 / 4) * 0.35 + (1 / 4) * 0.05, 12);
  });

  it('puts a prediction of exactly 1 in the last bin', () => {
    expect(calibration([1, 0], [1, 0], 4).bins[3].count).toBe(1);
  });
});

describe(evaluate.name, () => {
  it('reports AUC, log loss, Brier score and calibration together with the sample size', () => {
    const result = evaluate([0.1, 0.9, 0.2, 0.7], [0, 1, 0, 1]);

    expect(result).toMatchObject({ examples: 4, positives: 2, auc: 1 });
    expect(result.logLoss).toBeGreaterThan(0);
    expect(result.brier).toBeCloseTo((0.01 + 0.01 + 0.04 + 0.09) / 4, 12);
    expect(result.calibration.bins).toHaveLength(10);
  });
});
