import { completedSteps, EpochTimeline } from './epoch-progress';

describe(completedSteps.name, () => {
  it('names the steps every event of the epoch has passed, and trained once its version exists', () => {
    const progress = { prepared: 2000, scored: 2000, examples: 1500, latestVersion: 2 };

    expect(completedSteps(progress, 3, 2000)).toEqual(['prepared', 'scored']);
    expect(completedSteps({ ...progress, examples: 2000, latestVersion: 3 }, 3, 2000)).toEqual([
      'prepared',
      'scored',
      'joined',
      'trained',
    ]);
  });
});

describe(EpochTimeline.name, () => {
  it('keeps the first time each step was seen complete', () => {
    const timeline = new EpochTimeline(10_000);

    timeline.observe(['prepared'], 11_200);
    timeline.observe(['prepared', 'scored'], 12_000);

    expect(timeline.describe()).toBe('prepared +1.2 s, scored +2.0 s');
  });
});
