import { BASELINE_CONDITIONS, PairedComparison } from '@gyre/ml';
import {
  describeConditions,
  formatFrozenVersusLoop,
  formatMonitoring,
  frozenVersusLoopVerdict,
} from './frozen-table';
import type { FrozenVersusLoop } from './model-comparison';

const comparison = (frozenAuc: number, loopAuc: number, low: number, high: number): PairedComparison => ({
  examples: 2000,
  positives: 60,
  baseline: { auc: frozenAuc, logLoss: 0.12 },
  candidate: { auc: loopAuc, logLoss: 0.1 },
  aucDelta: { estimate: loopAuc - frozenAuc, low, high },
  logLossDelta: { estimate: -0.02, low: -0.03, high: -0.01 },
});
const monitoring = {
  features: [
    { feature: 'merchant_risk_log_odds', psi: 0.41 },
    { feature: 'log_amount', psi: 0.2 },
  ],
  scorePsi: 0.12,
  eceFrozen: 0.031,
  eceLoop: 0.012,
};
const drifted = { ...BASELINE_CONDITIONS, categoryShift: 1, newAttackShare: 0.6 };

describe(frozenVersusLoopVerdict.name, () => {
  const results: FrozenVersusLoop[] = [
    {
      epoch: 2,
      servedBy: [1],
      conditions: { epoch: 2, ...BASELINE_CONDITIONS },
      monitoring,
      comparison: comparison(0.9, 0.9, 0, 0),
    },
    {
      epoch: 3,
      servedBy: [1, 2],
      conditions: { epoch: 3, ...drifted },
      monitoring,
      comparison: comparison(0.8, 0.82, -0.01, 0.05),
    },
    {
      epoch: 4,
      servedBy: [3],
      conditions: { epoch: 4, ...drifted },
      monitoring,
      comparison: comparison(0.75, 0.88, 0.07, 0.19),
    },
  ];

  it('calls the loop better only in epochs whose interval excludes no change, and leaves out the shared model', () => {
    const verdict = frozenVersusLoopVerdict(results);

    expect(verdict).toContain('frozen v1 AUC  0.900 -> 0.800 -> 0.750');
    expect(verdict).toContain('the loop AUC   0.900 -> 0.820 -> 0.880');
    expect(verdict).toContain(
      "In epoch 4 the loop's v3 against frozen v1: AUC +0.130 [+0.070, +0.190] (improved)",
    );
    expect(verdict).toContain('better in 1, worse in 0 and not clearly different in 1 of 2 epochs');
  });

  it('prints a row pair per epoch with what the world looked like and what each difference supports', () => {
    const table = formatFrozenVersusLoop(results).split('\n');

    expect(table).toHaveLength(3 + 2 * results.length);
    expect(table[3]).toMatch(
      /^\s*2\s+baseline\s+v1\s+60\/2000\s+0\.9000\s+0\.9000\s+\+0\.000 \[\+0\.000, \+0\.000\]\s+same model$/,
    );
    expect(table[5]).toContain('no clear change');
    expect(table[7]).toMatch(/fraud moved 100%, new attack 60%.*improved$/);
  });

  it('prints the most drifted features, prediction drift and calibration of each epoch', () => {
    const table = formatMonitoring(results).split('\n');

    expect(table).toHaveLength(2 + results.length);
    expect(table[2]).toMatch(
      /^\s*2\s+merchant_risk_log_odds 0\.41, log_amount 0\.20\s+0\.120\s+0\.0310\s+0\.0120$/,
    );
  });

  it('says when there is nothing to compare yet', () => {
    expect(frozenVersusLoopVerdict(results.slice(0, 1))).toBe(
      'Verdict: too few epochs to compare the loop with a frozen model.',
    );
    expect(describeConditions({ epoch: 1, ...BASELINE_CONDITIONS })).toBe('baseline');
  });
});
