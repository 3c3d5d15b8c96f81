import { MlError } from '../ml-error';
import { Random } from '../random/random';
import { DriftMode, driftSchedule, WorldConditions } from './drift-schedule';
import {
  Draft,
  emitDrafts,
  eventIdPrefix,
  FraudScenario,
  OutcomeDelays,
  generateFraud,
  generateLegit,
  sortOutcomes,
  withDefaults,
} from './fraud-scenario';
import type { CardTransaction, TransactionOutcome } from './transaction';
import { createCards, createMerchants, Merchant, SHIFTED_FRAUD_AFFINITY } from './world';

const DAY = 24 * 3_600_000;

export interface DriftingScenarioOptions {
  readonly seed: string | number;
  readonly epochs: number;
  readonly eventsPerEpoch: number;
  readonly drift: DriftMode;
  /** The epoch the new attack appears in; default 3. */
  readonly attackEpoch?: number;
  /** Event time one epoch spans; default 7 days. */
  readonly epochMs?: number;
  readonly fraudRate?: number;
  /** Start of epoch 1 (ms); defaults to 2025-01-01T00:00:00Z. */
  readonly start?: number;
  /** How long outcomes take to become known; default DEFAULT_OUTCOME_DELAYS. */
  readonly outcomeDelays?: OutcomeDelays;
}

export interface ScenarioEpoch extends FraudScenario {
  readonly conditions: WorldConditions;
}

/**
 * One world (the same cards and merchants) over consecutive epochs whose conditions follow the drift
 * schedule; each epoch's transactions lie in its own time window, its outcomes follow them. Epoch 1
 * is the baseline in every mode. Deterministic: the same options give the same epochs, byte for byte.
 */
export function generateDriftingScenario(options: DriftingScenarioOptions): ScenarioEpoch[] {
  const { epochs, eventsPerEpoch } = options;
  if (!Number.isInteger(eventsPerEpoch) || eventsPerEpoch < 1) {
    throw new MlError('INVALID_ARGUMENT', `eventsPerEpoch must be a positive integer, got ${eventsPerEpoch}`);
  }
  const schedule = driftSchedule({ mode: options.drift, epochs, attackEpoch: options.attackEpoch });
  const epochMs = options.epochMs ?? 7 * DAY;
  const settings = withDefaults({
    seed: options.seed,
    transactionCount: epochs * eventsPerEpoch,
    durationMs: epochs * epochMs,
    fraudRate: options.fraudRate,
    start: options.start,
    outcomeDelays: options.outcomeDelays,
  });
  const random = new Random(options.seed);
  const merchants = createMerchants(random, settings.merchantCount);
  const cards = createCards(random, settings.cardCount);
  const shiftedAffinity = shiftedAffinities(options.seed, merchants);
  const prefix = eventIdPrefix(options.seed);
  return schedule.map((conditions, index) => {
    const drafts: Draft[] = [];
    const window = {
      start: settings.start + index * epochMs,
      durationMs: epochMs,
      conditions,
      shiftedAffinity: (merchant: Merchant) => shiftedAffinity.get(merchant.id)!,
      clamp: true,
    };
    generateFraud(random, window, cards, merchants, Math.round(eventsPerEpoch * settings.fraudRate), drafts);
    generateLegit(random, window, cards, merchants, eventsPerEpoch - drafts.length, drafts);
    const transactions: CardTransaction[] = [];
    const outcomes: TransactionOutcome[] = [];
    emitDrafts(random, settings, prefix, index * eventsPerEpoch, drafts, transactions, outcomes);
    sortOutcomes(outcomes);
    return { conditions, transactions, outcomes };
  });
}

/** Drawn from their own stream, so adding drift leaves the baseline world's draws untouched. */
function shiftedAffinities(seed: string | number, merchants: readonly Merchant[]): Map<string, number> {
  const random = new Random(`${String(seed)}:drift`);
  return new Map(
    merchants.map((merchant) => [
      merchant.id,
      (SHIFTED_FRAUD_AFFINITY[merchant.category] ?? 1) * random.logNormal(1, 0.8),
    ]),
  );
}
