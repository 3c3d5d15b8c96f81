import { changeOf, comparePaired, compareUnpaired, quantile } from './bootstrap';

describe(comparePaired.name, () => {
  const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1];
  const good = [0.1, 0.2, 0.1, 0.3, 0.2, 0.1, 0.9, 0.8, 0.7, 0.2, 0.3, 0.6];

  it('finds no change, to the last digit, when both models give the same scores', () => {
    const result = comparePaired(good, good, labels, { resamples: 200 });

    expect(result.aucDelta).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(result.logLossDelta).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(changeOf(result.aucDelta, true)).toBe('no clear change');
  });

  it('puts a perfect ranking one full AUC above a reversed one in every resample', () => {
    const reversed = good.map((score) => 1 - score);
    const result = comparePaired(reversed, good, labels, { resamples: 200 });

    expect(result.baseline.auc).toBe(0);
    expect(result.candidate.auc).toBe(1);
    expect(result.aucDelta).toEqual({ estimate: 1, low: 1, high: 1 });
    expect(result.logLossDelta.high).toBeLessThan(0);
    expect(changeOf(result.aucDelta, true)).toBe('improved');
    expect(changeOf(result.logLossDelta, false)).toBe('improved');
    expect({ examples: result.examples, positives: result.positives }).toEqual({
      examples: 12,
      positives: 4,
    });
  });

  it('gives an interval that straddles zero for two models that differ on one example only', () => {
    const nearly = [...good];
    nearly[11] = 0.25; // one fraud ranked below two legit examples
    const result = comparePaired(good, nearly, labels, { resamples: 500 });

    expect(result.aucDelta.estimate).toBeCloseTo(-2 / 32, 12);
    expect(result.aucDelta.low).toBeLessThan(result.aucDelta.estimate);
    expect(result.aucDelta.high).toBe(0);
    expect(changeOf(result.aucDelta, true)).toBe('no clear change');
  });

  it('is deterministic for a seed and rejects scores that do not match the labels', () => {
    const noisy = good.map((score, index) => (index % 3 === 0 ? 1 - score : score));
    const once = comparePaired(good, noisy, labels, { seed: 7, resamples: 300 });

    expect(comparePaired(good, noisy, labels, { seed: 7, resamples: 300 })).toEqual(once);
    expect(() => comparePaired(good, noisy.slice(1), labels)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe(compareUnpaired.name, () => {
  const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1];
  const good = [0.1, 0.2, 0.1, 0.3, 0.2, 0.1, 0.9, 0.8, 0.7, 0.2, 0.3, 0.6];

  it('finds a perfect ranking turned into a reversed one a full AUC worse in every resample', () => {
    const before = { scores: good, labels };
    const after = { scores: good.map((score) => 1 - score), labels };
    const result = compareUnpaired(before, after, { resamples: 200 });

    expect(result.before).toMatchObject({ examples: 12, auc: 1 });
    expect(result.after).toMatchObject({ examples: 12, auc: 0 });
    expect(result.aucDelta).toEqual({ estimate: -1, low: -1, high: -1 });
    expect(changeOf(result.aucDelta, true)).toBe('worse');
    expect(changeOf(result.logLossDelta, false)).toBe('worse');
  });

  it('gives an interval around zero for two sets of the same kind, wider than a paired one', () => {
    // The same model on two weeks that differ in which examples it ranks wrongly, not in how many.
    const before = { scores: good.map((score, index) => (index === 11 ? 0.25 : score)), labels };
    const after = { scores: good.map((score, index) => (index === 8 ? 0.25 : score)), labels };
    const result = compareUnpaired(before, after, { resamples: 500, seed: 3 });

    expect(result.aucDelta.estimate).toBeCloseTo(0, 12);
    expect(result.aucDelta.low).toBeLessThan(0);
    expect(result.aucDelta.high).toBeGreaterThan(0);
    expect(changeOf(result.aucDelta, true)).toBe('no clear change');
  });

  it('is deterministic for a seed and rejects a set without both classes or with missing scores', () => {
    const set = { scores: good, labels };
    const other = { scores: good.map((score, index) => (index % 3 === 0 ? 1 - score : score)), labels };

    expect(compareUnpaired(set, other, { seed: 9, resamples: 100 })).toEqual(
      compareUnpaired(set, other, { seed: 9, resamples: 100 }),
    );
    expect(() => compareUnpaired(set, { scores: [0.1, 0.2], labels: [0, 0] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => compareUnpaired(set, { scores: good.slice(1), labels })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe(changeOf.name, () => {
  it('calls a lower log loss an improvement and a higher AUC one, only when the interval excludes 0', () => {
    expect(changeOf({ estimate: -0.02, low: -0.03, high: -0.01 }, false)).toBe('improved');
    expect(changeOf({ estimate: -0.02, low: -0.03, high: -0.01 }, true)).toBe('worse');
    expect(changeOf({ estimate: 0.02, low: -0.001, high: 0.04 }, true)).toBe('no clear change');
  });
});

describe(quantile.name, () => {
  it('interpolates between order statistics', () => {
    const values = [0, 10, 20, 30, 40];

    expect(quantile(values, 0)).toBe(0);
    expect(quantile(values, 0.5)).toBe(20);
    expect(quantile(values, 0.025)).toBeCloseTo(1, 12);
    expect(quantile(values, 0.975)).toBeCloseTo(39, 12);
    expect(quantile([5], 0.3)).toBe(5);
  });
});
