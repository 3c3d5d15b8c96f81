import { BASELINE_CONDITIONS, driftSchedule } from './drift-schedule';

describe(driftSchedule.name, () => {
  it('keeps every epoch at the baseline without drift', () => {
    const schedule = driftSchedule({ mode: 'none', epochs: 4 });

    expect(schedule).toEqual([1, 2, 3, 4].map((epoch) => ({ epoch, ...BASELINE_CONDITIONS })));
  });

  it('switches fraud to its drifted form at the attack epoch when drift is sudden', () => {
    const schedule = driftSchedule({ mode: 'sudden', epochs: 4, attackEpoch: 3 });

    expect(schedule.map((c) => [c.categoryShift, c.fraudAmountFactor, c.newAttackShare])).toEqual([
      [0, 4, 0],
      [0, 4, 0],
      [1, 1.5, 0.6],
      [1, 1.5, 0.6],
    ]);
  });

  it('moves categories and amount bands a step per epoch and grows the attack over two epochs when gradual', () => {
    const schedule = driftSchedule({ mode: 'gradual', epochs: 5, attackEpoch: 3 });

    expect(schedule.map((c) => c.categoryShift)).toEqual([0, 0.333333, 0.666667, 1, 1]);
    expect(schedule.map((c) => c.fraudAmountFactor)).toEqual([4, 3.166667, 2.333333, 1.5, 1.5]);
    expect(schedule.map((c) => c.newAttackShare)).toEqual([0, 0, 0.3, 0.6, 0.6]);
  });

  it('adds slow legit seasonality to drifting worlds, starting from the baseline in epoch 1', () => {
    const schedule = driftSchedule({ mode: 'gradual', epochs: 3 });

    expect(schedule.map((c) => c.legitAmountFactor)).toEqual([1, 1.04, 1.08]);
    expect(schedule.map((c) => c.legitAbroadShare)).toEqual([0.03, 0.05, 0.07]);
  });

  it('rejects an unknown mode, no epochs and an attack in the first epoch', () => {
    const invalid = expect.objectContaining({ code: 'INVALID_ARGUMENT' });

    expect(() => driftSchedule({ mode: 'wild' as never, epochs: 3 })).toThrow(invalid);
    expect(() => driftSchedule({ mode: 'sudden', epochs: 0 })).toThrow(invalid);
    expect(() => driftSchedule({ mode: 'sudden', epochs: 3, attackEpoch: 1 })).toThrow(invalid);
  });
});
