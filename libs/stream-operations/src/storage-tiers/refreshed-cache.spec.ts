import { RefreshedCache } from './refreshed-cache';

describe(RefreshedCache.name, () => {
  let now = 0;
  const clock = () => now;
  const loader = () => {
    let loads = 0;
    return { load: () => Promise.resolve(++loads), count: () => loads };
  };

  beforeEach(() => (now = 1_000_000));

  it('serves a value younger than the maximum age without loading it again', async () => {
    const cache = new RefreshedCache<number>({ entries: 10, maxAgeMs: 10_000 }, clock);
    const { load, count } = loader();

    await cache.get('clicks', load);
    now += 9_999;

    expect(await cache.get('clicks', load)).toBe(1);
    expect(count()).toBe(1);
  });

  it('loads a value again once it reaches the maximum age', async () => {
    const cache = new RefreshedCache<number>({ entries: 10, maxAgeMs: 10_000 }, clock);
    const { load } = loader();

    await cache.get('clicks', load);
    now += 10_000;

    expect(await cache.get('clicks', load)).toBe(2);
  });

  it('shares one load between reads that arrive while it runs', async () => {
    const cache = new RefreshedCache<string>({ entries: 10, maxAgeMs: 10_000 }, clock);
    let finish!: (value: string) => void;
    let loads = 0;
    const load = () => (loads++, new Promise<string>((resolve) => (finish = resolve)));

    const first = cache.get('clicks', load);
    const second = cache.get('clicks', load);
    finish('tiers');

    expect(await Promise.all([first, second])).toEqual(['tiers', 'tiers']);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load: the next read tries again', async () => {
    const cache = new RefreshedCache<number>({ entries: 10, maxAgeMs: 10_000 }, clock);

    await expect(cache.get('clicks', () => Promise.reject(new Error('admin API down')))).rejects.toThrow(
      'admin API down',
    );

    expect(await cache.get('clicks', () => Promise.resolve(7))).toBe(7);
  });

  it('forgets the key read least recently when one too many is kept', async () => {
    const cache = new RefreshedCache<number>({ entries: 2, maxAgeMs: 10_000 }, clock);
    const a = loader();
    const b = loader();
    await cache.get('a', a.load);
    await cache.get('b', b.load);
    await cache.get('a', a.load);

    await cache.get('c', () => Promise.resolve(0));

    expect(await cache.get('a', a.load)).toBe(1);
    expect(await cache.get('b', b.load)).toBe(2);
  });
});
