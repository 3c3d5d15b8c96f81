import type { Scorer } from '@gyre/ml';
import { ServingModels } from './serving-models';

describe(ServingModels.name, () => {
  const scorer = (version: number): Scorer => ({
    modelVersion: `v${version}`,
    score: () => Promise.resolve([]),
  });

  it('picks up a new version once the refresh interval passed, and loads each artifact once', async () => {
    let now = 0;
    const stored: { latest?: { version: number; bucket: string; key: string; checksum: string } } = {};
    const loads: string[] = [];
    const models = new ServingModels(
      { latestModelVersion: () => Promise.resolve(stored.latest) },
      {
        loadScorer: (_bucket, key, version) => {
          loads.push(key);
          return Promise.resolve(scorer(version));
        },
      },
      1000,
      () => now,
    );

    expect(await models.current('loop')).toBeUndefined();
    stored.latest = { version: 1, bucket: 'models', key: 'v1', checksum: 'c1' };
    expect(await models.current('loop')).toBeUndefined();
    now = 1000;
    expect((await models.current('loop'))?.version).toBe(1);
    now = 2000;
    await models.current('loop');

    expect(loads).toEqual(['v1']);
  });
});
