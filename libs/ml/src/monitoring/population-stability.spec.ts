import { Random } from '../random/random';
import { populationStability, psiFromShares } from './population-stability';

describe(psiFromShares.name, () => {
  it('is 0 for the same shares and matches a hand computation for shifted ones', () => {
    expect(psiFromShares([0.5, 0.5], [0.5, 0.5])).toBe(0);
    // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
    expect(psiFromShares([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(
      0.25 * Math.log(2) + 0.25 * Math.log(1.5),
      12,
    );
  });

  it('floors an empty bin instead of returning infinity', () => {
    expect(psiFromShares([0.5, 0.5], [0, 1])).toBeCloseTo(
      (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2),
      12,
    );
  });
});

describe(populationStability.name, () => {
  const random = new Random('psi');
  const reference = Array.from({ length: 5_000 }, () => random.normal());

  it('is 0 for the reference itself and small for another sample of the same distribution', () => {
    const again = Array.from({ length: 5_000 }, () => random.normal());

    expect(populationStability(reference, reference)).toBe(0);
    expect(populationStability(reference, again)).toBeLessThan(0.02);
  });

  it('crosses the 0.25 rule of thumb when the mean moves by one standard deviation', () => {
    const moved = Array.from({ length: 5_000 }, () => random.normal() + 1);

    expect(populationStability(reference, moved)).toBeGreaterThan(0.25);
  });

  it('bins tied values (counts) together and sees a shift in how often they occur', () => {
    const counts = [...Array(80).fill(0), ...Array(15).fill(1), ...Array(5).fill(2)];
    const bursty = [...Array(50).fill(0), ...Array(30).fill(1), ...Array(20).fill(2)];

    expect(populationStability(counts, counts)).toBe(0);
    expect(populationStability(counts, bursty)).toBeCloseTo(
      psiFromShares([0.8, 0.15, 0.05], [0.5, 0.3, 0.2]),
      12,
    );
  });
});
