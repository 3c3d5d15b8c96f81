import { HandlerError } from '@gyre/pipelines';
import {
  compareOnMatured,
  DEFAULT_PROMOTION_POLICY,
  MaturedPair,
  promotionPolicyOf,
  promotionVerdict,
} from './promotion-policy';

/** The challenger ranks every fraud above every legit; the champion ranks them in the wrong order. */
const pairs: MaturedPair[] = [
  { champion: 0.2, challenger: 0.9, label: 1 },
  { champion: 0.6, challenger: 0.1, label: 0 },
  { champion: 0.5, challenger: 0.2, label: 0 },
  { champion: 0.1, challenger: 0.7, label: 1 },
];

describe('promotion policy', () => {
  it('reads the defaults, an override and names a bad setting', () => {
    expect(promotionPolicyOf({})).toEqual(DEFAULT_PROMOTION_POLICY);
    expect(promotionPolicyOf({ promotion: { mode: 'manual', metric: 'auc', margin: 0.02 } })).toEqual({
      ...DEFAULT_PROMOTION_POLICY,
      mode: 'manual',
      metric: 'auc',
      margin: 0.02,
    });
    expect(() => promotionPolicyOf({ promotion: { mode: 'sometimes' } })).toThrow(
      new HandlerError('INVALID_STAGE_PARAMETERS', 'promotion.mode must be "auto" or "manual"'),
    );
    expect(() => promotionPolicyOf({ promotion: { minMaturedEvents: 0 } })).toThrow(/minMaturedEvents/);
    expect(() => promotionPolicyOf({ promotion: { margin: -1 } })).toThrow(/margin/);
  });

  it('compares both versions on the same matured events', () => {
    const comparison = compareOnMatured(1, 2, pairs);

    expect(comparison).toMatchObject({ champion: 1, challenger: 2, maturedEvents: 4, positives: 2 });
    expect(comparison.scores.champion.auc).toBe(0);
    expect(comparison.scores.challenger.auc).toBe(1);
    // Challenger: -(ln 0.9 + ln 0.9 + ln 0.8 + ln 0.7) / 4.
    expect(comparison.scores.challenger.logLoss).toBeCloseTo(
      -(Math.log(0.9) * 2 + Math.log(0.8) + Math.log(0.7)) / 4,
      10,
    );
  });

  it('leaves AUC undefined while the matured events hold one class', () => {
    const comparison = compareOnMatured(1, 2, [{ champion: 0.1, challenger: 0.2, label: 0 }]);

    expect(comparison.scores.champion).toEqual({ auc: null, logLoss: -Math.log(0.9) });
  });

  it('promotes only past the margin and with enough matured events', () => {
    const comparison = compareOnMatured(1, 2, pairs);
    const policy = { ...DEFAULT_PROMOTION_POLICY, minMaturedEvents: 4 };

    expect(promotionVerdict(policy, comparison).promote).toBe(true);
    expect(promotionVerdict({ ...policy, metric: 'auc', margin: 0.99 }, comparison).promote).toBe(true);
    expect(promotionVerdict({ ...policy, metric: 'auc', margin: 1 }, comparison).promote).toBe(false);
    expect(promotionVerdict({ ...policy, minMaturedEvents: 5 }, comparison)).toEqual({
      promote: false,
      reason: '4 matured events of the 5 needed',
    });
    expect(promotionVerdict(policy, compareOnMatured(2, 1, pairs.map(swap))).promote).toBe(false);
  });
});

function swap(pair: MaturedPair): MaturedPair {
  return { champion: pair.challenger, challenger: pair.champion, label: pair.label };
}
