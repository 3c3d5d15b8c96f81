import type { Scorer } from '@gyre/ml';
import type { ServingRoles } from './model-roles.store';
import { ServingModels } from './serving-models';

describe(ServingModels.name, () => {
  const scorer = (version: number): Scorer => ({
    modelVersion: `v${version}`,
    score: () => Promise.resolve([]),
  });
  const model = (version: number) => ({
    version,
    bucket: 'models',
    key: `v${version}`,
    checksum: `c${version}`,
  });

  function servingModels(roles: { current: ServingRoles }, loads: string[], clock: { now: number }) {
    return new ServingModels(
      { serving: () => Promise.resolve(roles.current) },
      {
        loadScorer: (_bucket, key, version) => {
          loads.push(key);
          return Promise.resolve(scorer(version));
        },
      },
      1000,
      () => clock.now,
    );
  }

  it('picks up a new champion once the refresh interval passed, and loads each artifact once', async () => {
    const clock = { now: 0 };
    const roles: { current: ServingRoles } = { current: {} };
    const loads: string[] = [];
    const models = servingModels(roles, loads, clock);

    expect(await models.current('loop')).toBeUndefined();
    roles.current = { champion: model(1) };
    expect(await models.current('loop')).toBeUndefined();
    clock.now = 1000;
    expect((await models.current('loop'))?.version).toBe(1);
    clock.now = 2000;
    await models.current('loop');

    expect(loads).toEqual(['v1']);
  });

  it('serves the champion with the challenger beside it, and follows a promotion and a rollback', async () => {
    const clock = { now: 0 };
    const roles: { current: ServingRoles } = { current: { champion: model(1), challenger: model(2) } };
    const loads: string[] = [];
    const models = servingModels(roles, loads, clock);

    const shadowed = await models.current('loop');
    expect([shadowed?.version, shadowed?.challenger?.version]).toEqual([1, 2]);
    roles.current = { champion: model(2) };
    clock.now = 1000;
    const promoted = await models.current('loop');
    expect([promoted?.version, promoted?.challenger]).toEqual([2, undefined]);
    roles.current = { champion: model(1) };
    clock.now = 2000;
    expect((await models.current('loop'))?.scorer.modelVersion).toBe('v1');

    expect(loads).toEqual(['v1', 'v2']);
  });
});
