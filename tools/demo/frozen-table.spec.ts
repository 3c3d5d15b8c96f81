import { BASELINE_CONDITIONS, PairedComparison, UnpairedComparison } from '@gyre/ml';
import { describeConditions, formatFrozenVersusLoop, frozenVersusLoopVerdict } from './frozen-table';
import type { FrozenVersusLoop } from './model-comparison';

const comparison = (frozenAuc: number, loopAuc: number, low: number, high: number): PairedComparison => ({
  examples: 2000,
  positives: 60,
  baseline: { auc: frozenAuc, logLoss: 0.12 },
  candidate: { auc: loopAuc, logLoss: 0.1 },
  aucDelta: { estimate: loopAuc - frozenAuc, low, high },
  logLossDelta: { estimate: -0.02, low: -0.03, high: -0.01 },
});
const aging = (firstAuc: number, auc: number, low: number, high: number): UnpairedComparison => ({
  before: { examples: 2000, auc: firstAuc, logLoss: 0.06 },
  after: { examples: 2000, auc, logLoss: 0.15 },
  aucDelta: { estimate: auc - firstAuc, low, high },
  logLossDelta: { estimate: 0.09, low: 0.07, high: 0.11 },
});
const drifted = { ...BASELINE_CONDITIONS, categoryShift: 1, newAttackShare: 0.6 };

describe(frozenVersusLoopVerdict.name, () => {
  const results: FrozenVersusLoop[] = [
    {
      epoch: 2,
      frozenVersion: 1,
      servedBy: [1],
      shadowedBy: [],
      conditions: { epoch: 2, ...BASELINE_CONDITIONS },
      comparison: comparison(0.9, 0.9, 0, 0),
      frozenSinceFirst: aging(0.9, 0.9, 0, 0),
    },
    {
      epoch: 3,
      frozenVersion: 1,
      servedBy: [1, 2],
      shadowedBy: [2],
      conditions: { epoch: 3, ...drifted },
      comparison: comparison(0.8, 0.82, -0.01, 0.05),
      frozenSinceFirst: aging(0.9, 0.8, -0.15, -0.05),
    },
    {
      epoch: 4,
      frozenVersion: 1,
      servedBy: [3],
      shadowedBy: [4],
      conditions: { epoch: 4, ...drifted },
      comparison: comparison(0.75, 0.88, 0.07, 0.19),
      frozenSinceFirst: aging(0.9, 0.75, -0.2, -0.1),
    },
  ];

  it('calls the loop better only in epochs whose interval excludes no change, and leaves out the shared model', () => {
    const verdict = frozenVersusLoopVerdict(results);

    expect(verdict.split('\n')[0]).toBe(
      'Verdict: the loop beats the frozen model (epoch 4, v3 against frozen v1 on the same 2000 events: ' +
        'AUC 0.880 vs 0.750, +0.130 [+0.070, +0.190]; log loss -0.020 [-0.030, -0.010]).',
    );
    expect(verdict.split('\n')[1]).toBe(
      '  frozen v1 on its own: AUC 0.900 in epoch 2 -> 0.750 in epoch 4, -0.150 [-0.200, -0.100]: it decayed.',
    );
    expect(verdict).toContain('frozen v1      AUC 0.900 -> 0.800 -> 0.750');
    expect(verdict).toContain('the loop       AUC 0.900 -> 0.820 -> 0.880');
    expect(verdict).toContain('better in 1, worse in 0 and not clearly different in 1 of 2 epochs');
  });

  it('prints a row pair per epoch with what the world looked like and what each difference supports', () => {
    const table = formatFrozenVersusLoop(results).split('\n');

    expect(table).toHaveLength(3 + 2 * results.length);
    expect(table[3]).toMatch(
      /^\s*2\s+baseline\s+v1\s+60\/2000\s+0\.9000\s+0\.9000\s+\+0\.000 \[\+0\.000, \+0\.000\]\s+same model$/,
    );
    expect(table[5]).toContain('no clear change');
    expect(table[7]).toMatch(/fraud moved 100%, new attack 60%\s+v3 \(v4\).*improved$/);
  });

  it('says "no clear change" when the last interval includes 0', () => {
    const level = results.map((r) => ({
      ...r,
      comparison: comparison(0.85, 0.86, -0.02, 0.04),
      frozenSinceFirst: aging(0.85, 0.85, -0.03, 0.03),
    }));
    const verdict = frozenVersusLoopVerdict(level);

    expect(verdict).toMatch(/^Verdict: no clear change between the loop and the frozen model \(epoch 4/);
    expect(verdict).toContain(
      'frozen v1 on its own: AUC 0.850 in epoch 2 -> 0.850 in epoch 4, +0.000 [-0.030, +0.030]: no clear change.',
    );
  });

  it('says when there is nothing to compare yet', () => {
    expect(frozenVersusLoopVerdict([])).toBe(
      'Verdict: too few epochs to compare the loop with a frozen model.',
    );
    expect(frozenVersusLoopVerdict(results.slice(0, 1))).toBe(
      'Verdict: nothing to compare yet: the loop served frozen v1 itself in every epoch after the history ' +
        '(no challenger was promoted before an epoch was scored).',
    );
    expect(describeConditions({ epoch: 1, ...BASELINE_CONDITIONS })).toBe('baseline');
  });
});
