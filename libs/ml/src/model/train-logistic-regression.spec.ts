import type { FeatureDefinition } from '../features/feature-definition';
import { Random } from '../random/random';
import { scoreVector, sigmoid } from './logistic-model';
import { trainLogisticRegression } from './train-logistic-regression';

const TWO: FeatureDefinition = { id: 'test', version: 1, features: ['log_amount', 'count_1h'] };

/** Rows drawn from a known logistic model: y ~ Bernoulli(sigmoid(1.5 x1 - 2 x2 - 1)). */
function sample(seed: string, count: number) {
  const random = new Random(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const x = [random.normal() * 2 + 3, random.normal() * 0.5];
    rows.push(x);
    labels.push(random.chance(sigmoid(1.5 * (x[0] - 3) - 2 * x[1] - 1)) ? 1 : 0);
  }
  return { rows, labels };
}

describe(trainLogisticRegression.name, () => {
  const { rows, labels } = sample('train', 20_000);

  it('recovers the generating weights on the original feature scale', () => {
    const model = trainLogisticRegression(TWO, rows, labels, { l2: 0 });
    const raw = model.weights.map((w, j) => w / model.standardization.std[j]);

    expect(model.training.converged).toBe(true);
    expect(raw[0]).toBeCloseTo(1.5, 1);
    expect(raw[1]).toBeCloseTo(-2, 1);
    expect(scoreVector(model, [3, 0])).toBeCloseTo(sigmoid(-1), 1);
  });

  it('is deterministic: the same rows give the same model to the last bit', () => {
    const first = trainLogisticRegression(TWO, rows, labels, { tags: { epoch: '1' } });
    const second = trainLogisticRegression(TWO, rows, labels, { tags: { epoch: '1' } });

    expect(second).toEqual(first);
    expect(first.training).toMatchObject({
      algorithm: 'newton-irls',
      examples: 20_000,
      tags: { epoch: '1' },
    });
  });

  it('shrinks the weights as the L2 penalty grows', () => {
    const norm = (l2: number) => Math.hypot(...trainLogisticRegression(TWO, rows, labels, { l2 }).weights);

    expect(norm(1)).toBeLessThan(norm(0.01));
  });

  it('raises the scores of the rare class with balanced class weights', () => {
    const plain = trainLogisticRegression(TWO, rows, labels);
    const balanced = trainLogisticRegression(TWO, rows, labels, { positiveWeight: 'balanced' });
    const positives = labels.filter((y) => y === 1).length;

    expect(balanced.training.positiveWeight).toBeCloseTo((labels.length - positives) / positives, 12);
    expect(scoreVector(balanced, [3, 0])).toBeGreaterThan(scoreVector(plain, [3, 0]));
  });

  it('gives a constant feature no influence instead of dividing by zero', () => {
    const constant = rows.map((row) => [row[0], 7]);
    const model = trainLogisticRegression(TWO, constant, labels);

    expect(model.standardization.std[1]).toBe(1);
    expect(model.weights[1]).toBe(0);
  });

  it('rejects data it cannot learn from as INVALID_TRAINING_DATA', () => {
    const invalid = (r: number[][], y: number[]) => () => trainLogisticRegression(TWO, r, y);

    expect(invalid([[1, 2]], [1])).toThrow(expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }));
    expect(invalid([[1, 2], [1]], [1, 0])).toThrow(
      expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }),
    );
    expect(
      invalid(
        [
          [1, 2],
          [1, NaN],
        ],
        [1, 0],
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }));
    expect(
      invalid(
        [
          [1, 2],
          [3, 4],
        ],
        [1, 2],
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }));
  });
});
