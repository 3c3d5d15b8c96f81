import { hashSeed, Random } from './random';

describe(Random.name, () => {
  it('produces the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: string) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.next());
    };

    expect(draw('gyre')).toEqual(draw('gyre'));
    expect(draw('gyre')).not.toEqual(draw('gyra'));
  });

  it('draws uniforms in [0, 1) with a mean near one half', () => {
    const random = new Random(7);
    const draws = Array.from({ length: 20_000 }, () => random.next());

    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 2);
  });

  it('draws normals with mean 0 and standard deviation 1', () => {
    const random = new Random(11);
    const draws = Array.from({ length: 20_000 }, () => random.normal());
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    const variance = draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / draws.length;

    expect(mean).toBeCloseTo(0, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(1, 1);
  });

  it('picks weighted indices in proportion to their weights', () => {
    const random = new Random(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i += 1) counts[random.weightedIndex([1, 2, 7])] += 1;

    expect(counts[0] / 30_000).toBeCloseTo(0.1, 1);
    expect(counts[2] / 30_000).toBeCloseTo(0.7, 1);
  });

  it('rejects a non-positive integer bound with INVALID_ARGUMENT', () => {
    expect(() => new Random(1).int(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('hashes string seeds to stable 32-bit integers', () => {
    expect(hashSeed('gyre')).toBe(hashSeed('gyre'));
    expect(hashSeed('gyre')).toBeLessThan(2 ** 32);
  });
});
