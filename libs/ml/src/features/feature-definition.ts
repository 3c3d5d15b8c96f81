import { MlError } from '../ml-error';
import type { CardState } from './card-state';
import type { SmoothedRate } from './label-rate-table';
import type { CardTransaction } from '../synthetic/transaction';

const MINUTE = 60_000;
/** Time since the previous transaction of a card with none: 30 days. */
const NO_PREVIOUS_SECONDS = 30 * 24 * 3600;

/** What one feature may read: the transaction, the card's past, and label rates as of the event time. */
export interface FeatureInputs {
  readonly transaction: CardTransaction;
  /** The card as of the transaction's time: only its transactions strictly before it (CardHistory.asOf). */
  readonly card: CardState;
  readonly merchantRisk: SmoothedRate;
  readonly categoryRisk: SmoothedRate;
}

const logOdds = (rate: number): number => Math.log(rate / (1 - rate));
const windowed = (inputs: FeatureInputs, ms: number) => inputs.card.window(inputs.transaction.timestamp, ms);

/** Every feature Gyre's fraud loop knows, by name. A definition picks an ordered subset. */
export const FEATURE_CATALOG = {
  log_amount: (inputs: FeatureInputs) => Math.log(inputs.transaction.amount),
  /** z-score of the log amount against the card's own history; 0 until it has two transactions. */
  amount_z: ({ transaction, card }: FeatureInputs) => {
    if (card.transactionCount < 2) return 0;
    const { mean, std } = card.logAmountStats();
    return (Math.log(transaction.amount) - mean) / Math.max(std, 0.1);
  },
  count_10m: (inputs: FeatureInputs) => windowed(inputs, 10 * MINUTE).count,
  count_1h: (inputs: FeatureInputs) => windowed(inputs, 60 * MINUTE).count,
  count_24h: (inputs: FeatureInputs) => windowed(inputs, 24 * 60 * MINUTE).count,
  count_6h: (inputs: FeatureInputs) => windowed(inputs, 6 * 60 * MINUTE).count,
  /** ln(1 + sum of amounts) over the window: sums are heavy-tailed. */
  log_sum_10m: (inputs: FeatureInputs) => Math.log1p(windowed(inputs, 10 * MINUTE).sum),
  log_sum_1h: (inputs: FeatureInputs) => Math.log1p(windowed(inputs, 60 * MINUTE).sum),
  log_sum_24h: (inputs: FeatureInputs) => Math.log1p(windowed(inputs, 24 * 60 * MINUTE).sum),
  log_sum_6h: (inputs: FeatureInputs) => Math.log1p(windowed(inputs, 6 * 60 * MINUTE).sum),
  log_seconds_since_previous: ({ transaction, card }: FeatureInputs) => {
    const last = card.lastTransactionTime;
    // A late transaction's card may already hold later ones ("what is known"): never below 0 s.
    const seconds = last === null ? NO_PREVIOUS_SECONDS : Math.max(0, transaction.timestamp - last) / 1000;
    return Math.log1p(Math.min(seconds, NO_PREVIOUS_SECONDS));
  },
  log_card_history: ({ card }: FeatureInputs) => Math.log1p(card.transactionCount),
  /** 1 - share of the card's past transactions in this country; 0 for a card without history. */
  country_novelty: ({ transaction, card }: FeatureInputs) =>
    card.transactionCount === 0 ? 0 : 1 - card.countryShare(transaction.country),
  merchant_risk_log_odds: ({ merchantRisk }: FeatureInputs) => logOdds(merchantRisk.rate),
  category_risk_log_odds: ({ categoryRisk }: FeatureInputs) => logOdds(categoryRisk.rate),
} satisfies Record<string, (inputs: FeatureInputs) => number>;

export type FeatureName = keyof typeof FEATURE_CATALOG;

/**
 * A versioned, ordered list of features. Models record the definition they were trained on,
 * so a rebuild can compute a new version while the old one keeps serving.
 */
export interface FeatureDefinition {
  readonly id: string;
  readonly version: number;
  readonly features: readonly FeatureName[];
}

/** Listed, not derived from the catalog: a new catalog entry must not change a shipped version. */
export const FRAUD_FEATURES_V1: FeatureDefinition = {
  id: 'fraud.card-features',
  version: 1,
  features: [
    'log_amount',
    'amount_z',
    'count_10m',
    'count_1h',
    'count_24h',
    'log_sum_10m',
    'log_sum_1h',
    'log_sum_24h',
    'log_seconds_since_previous',
    'log_card_history',
    'country_novelty',
    'merchant_risk_log_odds',
    'category_risk_log_odds',
  ],
};

/** Version 2: one 6-hour window instead of the 10-minute and 24-hour ones, and no history length. */
export const FRAUD_FEATURES_V2: FeatureDefinition = {
  id: 'fraud.card-features',
  version: 2,
  features: [
    'log_amount',
    'amount_z',
    'count_1h',
    'count_6h',
    'log_sum_1h',
    'log_sum_6h',
    'log_seconds_since_previous',
    'country_novelty',
    'merchant_risk_log_odds',
    'category_risk_log_odds',
  ],
};

/** `id@version`: how datasets, models and predictions name the features they hold. */
export function featureDefinitionKey(definition: FeatureDefinition): string {
  return `${definition.id}@${definition.version}`;
}

/** Throws UNKNOWN_FEATURE or INVALID_ARGUMENT unless every name is in the catalog, once each. */
export function validateFeatureDefinition(definition: FeatureDefinition): FeatureDefinition {
  if (!definition.id || !Number.isInteger(definition.version) || definition.version < 1) {
    throw new MlError('INVALID_ARGUMENT', 'a feature definition needs an id and a version >= 1');
  }
  const unknown = definition.features.filter((name) => !Object.hasOwn(FEATURE_CATALOG, name));
  if (unknown.length > 0) {
    throw new MlError(
      'UNKNOWN_FEATURE',
      `unknown features in ${featureDefinitionKey(definition)}: ${unknown.join(', ')}`,
    );
  }
  if (new Set(definition.features).size !== definition.features.length || definition.features.length === 0) {
    throw new MlError('INVALID_ARGUMENT', `${featureDefinitionKey(definition)} must list distinct features`);
  }
  return definition;
}

export function computeFeatureVector(definition: FeatureDefinition, inputs: FeatureInputs): number[] {
  return definition.features.map((name) => FEATURE_CATALOG[name](inputs));
}
