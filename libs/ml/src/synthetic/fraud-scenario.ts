import { MlError } from '../ml-error';
import { hashSeed, Random } from '../random/random';
import { BASELINE_CONDITIONS, WorldConditions } from './drift-schedule';
import type { CardTransaction, TransactionOutcome } from './transaction';
import { Card, createCards, createMerchants, FRAUD_COUNTRIES, Merchant, WeightedTable } from './world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long outcomes take to become known. */
export interface OutcomeDelays {
  /** Share of fraud the cardholder reports quickly; the rest comes back as chargebacks. */
  readonly cardholderReportShare: number;
  readonly cardholderReportMedianMs: number;
  readonly chargebackMedianMs: number;
  /** A legit transaction is confirmed when its dispute window closes, plus up to a day of jitter. */
  readonly settlementMs: number;
}

export const DEFAULT_OUTCOME_DELAYS: OutcomeDelays = {
  cardholderReportShare: 0.4,
  cardholderReportMedianMs: 6 * HOUR,
  chargebackMedianMs: 5 * DAY,
  settlementMs: 3 * DAY,
};

export interface FraudScenarioOptions {
  readonly seed: string | number;
  readonly transactionCount: number;
  /** Defaults to one card per 25 transactions. */
  readonly cardCount?: number;
  readonly merchantCount?: number;
  /** Start of the simulated period (ms); defaults to 2025-01-01T00:00:00Z. */
  readonly start?: number;
  readonly durationMs?: number;
  /** Target share of fraudulent transactions (before label noise). */
  readonly fraudRate?: number;
  /** Share of fraud that is never reported (it is labelled legit). */
  readonly missedFraudRate?: number;
  /** Share of legit transactions disputed anyway ("friendly fraud": labelled fraud). */
  readonly friendlyFraudRate?: number;
  readonly outcomeDelays?: OutcomeDelays;
}

export interface FraudScenario {
  /** In event-time order (ties broken by event id). */
  readonly transactions: CardTransaction[];
  /** One per transaction, in the order they become known (`reportedAt`). */
  readonly outcomes: TransactionOutcome[];
}

export interface Draft extends Omit<CardTransaction, 'eventId'> {
  readonly fraud: boolean;
}

/**
 * Generates card transactions with a hidden, learnable fraud pattern, and their delayed outcomes.
 * Fraud comes in bursts on a compromised card: often a small test payment, then large amounts
 * (relative to the card's own history) at fraud-prone merchants, frequently abroad.
 * Deterministic: the same options give the same scenario, byte for byte.
 */
export function generateFraudScenario(options: FraudScenarioOptions): FraudScenario {
  const settings = withDefaults(options);
  const random = new Random(options.seed);
  const merchants = createMerchants(random, settings.merchantCount);
  const cards = createCards(random, settings.cardCount);
  const drafts: Draft[] = [];

  const fraudTarget = Math.round(settings.transactionCount * settings.fraudRate);
  const window = { start: settings.start, durationMs: settings.durationMs, conditions: BASELINE_CONDITIONS };
  generateFraud(random, window, cards, merchants, fraudTarget, drafts);
  generateLegit(random, window, cards, merchants, settings.transactionCount - drafts.length, drafts);

  const transactions: CardTransaction[] = [];
  const outcomes: TransactionOutcome[] = [];
  emitDrafts(random, settings, eventIdPrefix(options.seed), 0, drafts, transactions, outcomes);
  sortOutcomes(outcomes);
  return { transactions, outcomes };
}

export function eventIdPrefix(seed: string | number): string {
  return `tx-${hashSeed(seed).toString(16).padStart(8, '0')}`;
}

/** Sorts drafts by event time, names them from `firstIndex` on and draws each one's outcome. */
export function emitDrafts(
  random: Random,
  settings: Pick<Settings, 'missedFraudRate' | 'friendlyFraudRate' | 'outcomeDelays'>,
  prefix: string,
  firstIndex: number,
  drafts: Draft[],
  transactions: CardTransaction[],
  outcomes: TransactionOutcome[],
): void {
  drafts.sort((a, b) => a.timestamp - b.timestamp);
  drafts.forEach((draft, index) => {
    const { fraud, ...fields } = draft;
    const transaction: CardTransaction = {
      eventId: `${prefix}-${String(firstIndex + index).padStart(7, '0')}`,
      ...fields,
    };
    transactions.push(transaction);
    outcomes.push(outcomeOf(random, settings, transaction, fraud));
  });
}

export function sortOutcomes(outcomes: TransactionOutcome[]): void {
  outcomes.sort((a, b) => a.reportedAt - b.reportedAt || compare(a.eventId, b.eventId));
}

export type Settings = Required<Omit<FraudScenarioOptions, 'seed'>>;

export function withDefaults(options: FraudScenarioOptions): Settings {
  const settings: Settings = {
    transactionCount: options.transactionCount,
    cardCount: options.cardCount ?? Math.max(1, Math.round(options.transactionCount / 25)),
    merchantCount: options.merchantCount ?? 300,
    start: options.start ?? Date.UTC(2025, 0, 1),
    durationMs: options.durationMs ?? 14 * DAY,
    fraudRate: options.fraudRate ?? 0.03,
    missedFraudRate: options.missedFraudRate ?? 0.05,
    friendlyFraudRate: options.friendlyFraudRate ?? 0.003,
    outcomeDelays: options.outcomeDelays ?? DEFAULT_OUTCOME_DELAYS,
  };
  const positive = [
    settings.transactionCount,
    settings.cardCount,
    settings.merchantCount,
    settings.durationMs,
  ];
  if (!positive.every((value) => Number.isInteger(value) && value > 0)) {
    throw new MlError(
      'INVALID_ARGUMENT',
      'counts and duration of a fraud scenario must be positive integers',
    );
  }
  if (!(settings.fraudRate >= 0 && settings.fraudRate < 0.5)) {
    throw new MlError('INVALID_ARGUMENT', `fraudRate must be in [0, 0.5), got ${settings.fraudRate}`);
  }
  return settings;
}

/** What fraud and legit generation read besides the random source: one epoch's world and time window. */
export interface EpochWindow {
  readonly start: number;
  readonly durationMs: number;
  readonly conditions: Omit<WorldConditions, 'epoch'>;
  /** A merchant's pull on fraudsters once they have moved (drift); unused at categoryShift 0. */
  readonly shiftedAffinity?: (merchant: Merchant) => number;
  /** Keeps fraud runs inside the window (an epoch's events stay in its slice); off for one window. */
  readonly clamp?: boolean;
}

export function generateFraud(
  random: Random,
  window: EpochWindow,
  cards: Card[],
  merchants: Merchant[],
  target: number,
  drafts: Draft[],
): void {
  const { conditions } = window;
  const shift = conditions.categoryShift;
  const shifted = window.shiftedAffinity ?? ((merchant: Merchant) => merchant.fraudAffinity);
  const prone = new WeightedTable(
    merchants,
    (merchant) => (1 - shift) * merchant.fraudAffinity + shift * shifted(merchant),
  );
  const attacked = new WeightedTable(merchants, shifted);
  const countries = FRAUD_COUNTRIES.map((country) => country.weight);
  const end = window.clamp ? window.start + window.durationMs - 1 : Infinity;
  let produced = 0;
  while (produced < target) {
    const card = random.pick(cards);
    // Drawn only when the attack exists, so a world without it replays the baseline draw for draw.
    if (conditions.newAttackShare > 0 && random.chance(conditions.newAttackShare)) {
      produced += generateAttackRun(random, window, card, attacked, target - produced, drafts);
      continue;
    }
    const abroad = random.chance(0.6);
    const country = abroad ? FRAUD_COUNTRIES[random.weightedIndex(countries)].code : card.homeCountry;
    let time = window.start + Math.floor(random.next() * window.durationMs);
    const size = Math.min(target - produced, 1 + Math.floor(random.exponential(2.5)));
    for (let step = 0; step < size; step += 1) {
      const cardTest = step === 0 && size > 1 && random.chance(0.5);
      const merchant = prone.draw(random);
      const amount = cardTest
        ? 1 + random.next() * 4
        : card.medianAmount * random.logNormal(conditions.fraudAmountFactor, 0.7);
      drafts.push(draft(card, merchant, amount, country, Math.min(time, end), true));
      time += Math.floor(random.exponential(4 * MINUTE));
    }
    produced += size;
  }
}

/**
 * The new attack: card testing after an account takeover. Runs of three to five small payments (a
 * quarter of the card's usual amount) minutes apart, at home, spread over the everyday merchants the
 * shifted fraud favours. The first model learnt fraud as large, foreign or at a few risky merchants;
 * only a model retrained on labels from the new attack learns that small fast runs now mean fraud.
 */
function generateAttackRun(
  random: Random,
  window: EpochWindow,
  card: Card,
  merchants: WeightedTable<Merchant>,
  limit: number,
  drafts: Draft[],
): number {
  const end = window.clamp ? window.start + window.durationMs - 1 : Infinity;
  let time = window.start + Math.floor(random.next() * window.durationMs);
  const size = Math.min(limit, 3 + random.int(3));
  for (let step = 0; step < size; step += 1) {
    const amount = card.medianAmount * random.logNormal(0.25, 0.4);
    drafts.push(draft(card, merchants.draw(random), amount, card.homeCountry, Math.min(time, end), true));
    time += Math.floor(random.exponential(3 * MINUTE));
  }
  return size;
}

export function generateLegit(
  random: Random,
  window: EpochWindow,
  cards: Card[],
  merchants: Merchant[],
  count: number,
  drafts: Draft[],
): void {
  const { conditions } = window;
  const byActivity = new WeightedTable(cards, (card) => card.activity);
  const byPopularity = new WeightedTable(merchants, (merchant) => merchant.popularity);
  let produced = 0;
  while (produced < count) {
    const card = byActivity.draw(random);
    let time = window.start + Math.floor(random.next() * window.durationMs);
    // Cardholders also shop in quick runs (a mall, a trip): bursts alone must not mean fraud.
    const size = Math.min(count - produced, random.chance(0.1) ? 2 + random.int(3) : 1);
    const country = random.chance(conditions.legitAbroadShare)
      ? random.pick(FRAUD_COUNTRIES).code
      : card.homeCountry;
    for (let step = 0; step < size; step += 1) {
      const amount = card.medianAmount * random.logNormal(conditions.legitAmountFactor, card.amountSigma);
      drafts.push(draft(card, byPopularity.draw(random), amount, country, time, false));
      time += Math.floor(random.exponential(12 * MINUTE));
    }
    produced += size;
  }
}

function draft(
  card: Card,
  merchant: Merchant,
  amount: number,
  country: string,
  time: number,
  fraud: boolean,
): Draft {
  return {
    cardId: card.id,
    merchantId: merchant.id,
    merchantCategory: merchant.category,
    amount: Math.max(0.5, Math.round(amount * 100) / 100),
    country,
    timestamp: time,
    fraud,
  };
}

function outcomeOf(
  random: Random,
  settings: Pick<Settings, 'missedFraudRate' | 'friendlyFraudRate' | 'outcomeDelays'>,
  transaction: CardTransaction,
  fraud: boolean,
): TransactionOutcome {
  const delays = settings.outcomeDelays;
  const reported = fraud
    ? !random.chance(settings.missedFraudRate)
    : random.chance(settings.friendlyFraudRate);
  let source: TransactionOutcome['source'] = 'settled';
  let delay = delays.settlementMs + Math.floor(random.next() * DAY);
  if (reported) {
    source = random.chance(delays.cardholderReportShare) ? 'cardholder-report' : 'chargeback';
    const median = source === 'chargeback' ? delays.chargebackMedianMs : delays.cardholderReportMedianMs;
    delay = Math.min(60 * DAY, Math.max(10 * MINUTE, Math.floor(random.logNormal(median, 0.8))));
  }
  return {
    eventId: transaction.eventId,
    cardId: transaction.cardId,
    merchantId: transaction.merchantId,
    merchantCategory: transaction.merchantCategory,
    label: reported ? 'fraud' : 'legit',
    source,
    transactionTime: transaction.timestamp,
    reportedAt: transaction.timestamp + delay,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
