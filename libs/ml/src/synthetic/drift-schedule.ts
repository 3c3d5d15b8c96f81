import { MlError } from '../ml-error';

/** How the synthetic world changes over epochs: not at all, step by step, or all at once. */
export type DriftMode = 'none' | 'gradual' | 'sudden';
export const DRIFT_MODES: readonly DriftMode[] = ['none', 'gradual', 'sudden'];

/** The state of the world during one epoch; epoch 1 of every mode is the baseline. */
export interface WorldConditions {
  readonly epoch: number;
  /** 0: fraudsters favour the baseline categories; 1: they have moved to the shifted ones (world.ts). */
  readonly categoryShift: number;
  /** Median of a fraudulent amount as a multiple of the card's own median (the amount band). */
  readonly fraudAmountFactor: number;
  /** Share of fraud committed by the new attack (small domestic payments in fast runs). */
  readonly newAttackShare: number;
  /** Legit seasonality: multiplier of cardholders' amounts. */
  readonly legitAmountFactor: number;
  /** Legit seasonality: share of cardholders' runs abroad (travel season). */
  readonly legitAbroadShare: number;
}

export const BASELINE_CONDITIONS: Omit<WorldConditions, 'epoch'> = {
  categoryShift: 0,
  fraudAmountFactor: 4,
  newAttackShare: 0,
  legitAmountFactor: 1,
  legitAbroadShare: 0.03,
};

/** Where the drifted world ends up (fully shifted). */
const DRIFTED: Omit<WorldConditions, 'epoch' | 'legitAmountFactor' | 'legitAbroadShare'> = {
  categoryShift: 1,
  fraudAmountFactor: 1.5,
  newAttackShare: 0.6,
};

export interface DriftScheduleOptions {
  readonly mode: DriftMode;
  readonly epochs: number;
  /** The epoch the new attack appears in (and, for 'sudden', everything changes). Default 3. */
  readonly attackEpoch?: number;
}

/**
 * The conditions of each epoch, 1..epochs. 'none' keeps the baseline; 'sudden' switches fraud to
 * its drifted form at attackEpoch; 'gradual' moves categories and amount bands a step per epoch
 * from epoch 2, and lets the new attack grow over two epochs from attackEpoch. Every mode but
 * 'none' adds the slow legit seasonality (amounts and travel rising by a few percent per epoch).
 */
export function driftSchedule(options: DriftScheduleOptions): WorldConditions[] {
  const { mode, epochs } = options;
  const attackEpoch = options.attackEpoch ?? 3;
  if (!DRIFT_MODES.includes(mode)) {
    throw new MlError(
      'INVALID_ARGUMENT',
      `drift must be one of ${DRIFT_MODES.join(', ')}, got ${String(mode)}`,
    );
  }
  if (!Number.isInteger(epochs) || epochs < 1 || !Number.isInteger(attackEpoch) || attackEpoch < 2) {
    throw new MlError('INVALID_ARGUMENT', 'a drift schedule needs epochs >= 1 and an attack epoch >= 2');
  }
  return Array.from({ length: epochs }, (_, index) => {
    const epoch = index + 1;
    if (mode === 'none') return { epoch, ...BASELINE_CONDITIONS };
    const progress =
      mode === 'sudden' ? Number(epoch >= attackEpoch) : Math.min(1, (epoch - 1) / Math.max(1, attackEpoch));
    const attack = mode === 'sudden' ? progress : Math.min(1, Math.max(0, (epoch - attackEpoch + 1) / 2));
    return {
      epoch,
      categoryShift: round(progress * DRIFTED.categoryShift),
      fraudAmountFactor: round(
        lerp(BASELINE_CONDITIONS.fraudAmountFactor, DRIFTED.fraudAmountFactor, progress),
      ),
      newAttackShare: round(attack * DRIFTED.newAttackShare),
      legitAmountFactor: round(1 + 0.04 * (epoch - 1)),
      legitAbroadShare: round(BASELINE_CONDITIONS.legitAbroadShare + 0.02 * (epoch - 1)),
    };
  });
}

const lerp = (from: number, to: number, t: number) => from + (to - from) * t;
/** Rounded so the schedule prints and compares exactly. */
const round = (value: number) => Math.round(value * 1e6) / 1e6;
