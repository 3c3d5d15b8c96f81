import { MlError } from '../ml-error';
import { hashSeed, Random } from '../random/random';
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

interface Draft extends Omit<CardTransaction, 'eventId'> {
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
  generateFraud(random, settings, cards, merchants, fraudTarget, drafts);
  generateLegit(random, settings, cards, merchants, settings.transactionCount - drafts.length, drafts);

  drafts.sort((a, b) => a.timestamp - b.timestamp);
  const prefix = `tx-${hashSeed(options.seed).toString(16).padStart(8, '0')}`;
  const transactions: CardTransaction[] = [];
  const outcomes: TransactionOutcome[] = [];
  drafts.forEach((draft, index) => {
    const { fraud, ...fields } = draft;
    const transaction: CardTransaction = {
      eventId: `${prefix}-${String(index).padStart(7, '0')}`,
      ...fields,
    };
    transactions.push(transaction);
    outcomes.push(outcomeOf(random, settings, transaction, fraud));
  });
  outcomes.sort((a, b) => a.reportedAt - b.reportedAt || compare(a.eventId, b.eventId));
  return { transactions, outcomes };
}

type Settings = Required<Omit<FraudScenarioOptions, 'seed'>>;

function withDefaults(options: FraudScenarioOptions): Settings {
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

function generateFraud(
  random: Random,
  settings: Settings,
  cards: Card[],
  merchants: Merchant[],
  target: number,
  drafts: Draft[],
): void {
  const prone = new WeightedTable(merchants, (merchant) => merchant.fraudAffinity);
  const countries = FRAUD_COUNTRIES.map((country) => country.weight);
  let produced = 0;
  while (produced < target) {
    const card = random.pick(cards);
    const abroad = random.chance(0.6);
    const country = abroad ? FRAUD_COUNTRIES[random.weightedIndex(countries)].code : card.homeCountry;
    let time = settings.start + Math.floor(random.next() * settings.durationMs);
    const size = Math.min(target - produced, 1 + Math.floor(random.exponential(2.5)));
    for (let step = 0; step < size; step += 1) {
      const cardTest = step === 0 && size > 1 && random.chance(0.5);
      const merchant = prone.draw(random);
      const amount = cardTest ? 1 + random.next() * 4 : card.medianAmount * random.logNormal(4, 0.7);
      drafts.push(draft(card, merchant, amount, country, time, true));
      time += Math.floor(random.exponential(4 * MINUTE));
    }
    produced += size;
  }
}

function generateLegit(
  random: Random,
  settings: Settings,
  cards: Card[],
  merchants: Merchant[],
  count: number,
  drafts: Draft[],
): void {
  const byActivity = new WeightedTable(cards, (card) => card.activity);
  const byPopularity = new WeightedTable(merchants, (merchant) => merchant.popularity);
  let produced = 0;
  while (produced < count) {
    const card = byActivity.draw(random);
    let time = settings.start + Math.floor(random.next() * settings.durationMs);
    // Cardholders also shop in quick runs (a mall, a trip): bursts alone must not mean fraud.
    const size = Math.min(count - produced, random.chance(0.1) ? 2 + random.int(3) : 1);
    const country = random.chance(0.03) ? random.pick(FRAUD_COUNTRIES).code : card.homeCountry;
    for (let step = 0; step < size; step += 1) {
      const amount = card.medianAmount * random.logNormal(1, card.amountSigma);
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
  settings: Settings,
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
