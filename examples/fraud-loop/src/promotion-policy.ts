import { HandlerError } from '@gyre/pipelines';
import { logLoss, rocAuc } from '@gyre/ml';

/** A model version's part: the champion serves, the challenger scores in shadow, a retired one does neither. */
export type ModelRole = 'champion' | 'challenger' | 'retired';

/**
 * When a challenger replaces the champion (train's `promotion` parameter): `auto` promotes it as soon as it
 * beats the champion by `margin` on `metric` over at least `minMaturedEvents` events both scored and that
 * have their label; `manual` only reports the comparison and leaves promotion to an admin call.
 */
export interface PromotionPolicy {
  readonly mode: 'auto' | 'manual';
  readonly metric: 'logLoss' | 'auc';
  readonly margin: number;
  readonly minMaturedEvents: number;
  /** The comparison is evaluated once per this many examples train receives (it reads every matured event). */
  readonly checkEvery: number;
}

export const DEFAULT_PROMOTION_POLICY: PromotionPolicy = {
  mode: 'auto',
  metric: 'logLoss',
  margin: 0,
  minMaturedEvents: 200,
  checkEvery: 50,
};

/** Reads train's `promotion` parameter over the defaults; a bad value is the pipeline's error, not an event's. */
export function promotionPolicyOf(parameters: Readonly<Record<string, unknown>>): PromotionPolicy {
  const raw = parameters.promotion;
  if (raw === undefined) return DEFAULT_PROMOTION_POLICY;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidPolicy('promotion must be an object { mode, metric, margin, minMaturedEvents, checkEvery }');
  const given = raw as Record<string, unknown>;
  const policy = { ...DEFAULT_PROMOTION_POLICY, ...given } as Record<string, unknown>;
  if (policy.mode !== 'auto' && policy.mode !== 'manual')
    throw invalidPolicy('promotion.mode must be "auto" or "manual"');
  if (policy.metric !== 'logLoss' && policy.metric !== 'auc')
    throw invalidPolicy('promotion.metric must be "logLoss" or "auc"');
  if (typeof policy.margin !== 'number' || !Number.isFinite(policy.margin) || policy.margin < 0)
    throw invalidPolicy('promotion.margin must be a number >= 0');
  for (const name of ['minMaturedEvents', 'checkEvery'] as const) {
    const value = policy[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      throw invalidPolicy(`promotion.${name} must be an integer >= 1`);
  }
  return policy as unknown as PromotionPolicy;
}

/** Retriable, like infer's: the stage waits for a corrected pipeline definition. */
function invalidPolicy(message: string): HandlerError {
  return new HandlerError('INVALID_STAGE_PARAMETERS', message, { retriable: true });
}

/** One matured event both versions scored: the champion's served score, the challenger's shadow one, the label. */
export interface MaturedPair {
  readonly champion: number;
  readonly challenger: number;
  readonly label: 0 | 1;
}

export interface VersionScore {
  /** null while the matured events hold only one class (AUC is undefined then). */
  readonly auc: number | null;
  readonly logLoss: number | null;
}

/** Champion against challenger on the same matured events. */
export interface ChallengerComparison {
  readonly champion: number;
  readonly challenger: number;
  readonly maturedEvents: number;
  readonly positives: number;
  readonly scores: { readonly champion: VersionScore; readonly challenger: VersionScore };
}

export function compareOnMatured(
  champion: number,
  challenger: number,
  pairs: readonly MaturedPair[],
): ChallengerComparison {
  const labels = pairs.map((pair) => pair.label);
  const positives = labels.filter((label) => label === 1).length;
  const score = (scores: number[]): VersionScore => ({
    auc: positives > 0 && positives < labels.length ? rocAuc(scores, labels) : null,
    logLoss: labels.length > 0 ? logLoss(scores, labels) : null,
  });
  return {
    champion,
    challenger,
    maturedEvents: pairs.length,
    positives,
    scores: {
      champion: score(pairs.map((pair) => pair.champion)),
      challenger: score(pairs.map((pair) => pair.challenger)),
    },
  };
}

/** Whether the comparison earns the challenger the champion's place under the policy, and why (for the audit). */
export function promotionVerdict(
  policy: PromotionPolicy,
  comparison: ChallengerComparison,
): { promote: boolean; reason: string } {
  if (comparison.maturedEvents < policy.minMaturedEvents)
    return {
      promote: false,
      reason: `${comparison.maturedEvents} matured events of the ${policy.minMaturedEvents} needed`,
    };
  const champion = comparison.scores.champion[policy.metric];
  const challenger = comparison.scores.challenger[policy.metric];
  if (champion === null || challenger === null)
    return { promote: false, reason: `${policy.metric} undefined on the matured events (one class only)` };
  // Lower log loss is better; higher AUC is better.
  const gain = policy.metric === 'logLoss' ? champion - challenger : challenger - champion;
  const promote = gain > policy.margin;
  return {
    promote,
    reason:
      `${policy.metric} ${round(champion)} (v${comparison.champion}) -> ${round(challenger)} ` +
      `(v${comparison.challenger}) on ${comparison.maturedEvents} matured events: gain ${round(gain)} ` +
      `${promote ? 'beats' : 'does not beat'} the margin ${policy.margin}`,
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
