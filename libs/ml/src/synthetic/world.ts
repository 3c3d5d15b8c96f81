import { Random } from '../random/random';

/** Merchant categories with their hidden propensity to attract fraud (relative weights). */
export const MERCHANT_CATEGORIES = [
  { name: 'grocery', share: 0.26, fraudAffinity: 0.2 },
  { name: 'restaurants', share: 0.18, fraudAffinity: 0.3 },
  { name: 'fuel', share: 0.12, fraudAffinity: 0.4 },
  { name: 'transport', share: 0.1, fraudAffinity: 0.5 },
  { name: 'apparel', share: 0.1, fraudAffinity: 1 },
  { name: 'travel', share: 0.06, fraudAffinity: 1.5 },
  { name: 'online-gaming', share: 0.06, fraudAffinity: 3 },
  { name: 'electronics', share: 0.06, fraudAffinity: 4 },
  { name: 'jewelry', share: 0.03, fraudAffinity: 4 },
  { name: 'gift-cards', share: 0.03, fraudAffinity: 6 },
] as const;

export const HOME_COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'CA'] as const;
/** Where fraudsters use stolen cards (weights): anywhere foreign, some places more than others. */
export const FRAUD_COUNTRIES = [
  { code: 'US', weight: 1 },
  { code: 'GB', weight: 1 },
  { code: 'BR', weight: 3 },
  { code: 'RO', weight: 3 },
  { code: 'ID', weight: 3 },
  { code: 'MX', weight: 2 },
  { code: 'TH', weight: 2 },
] as const;

export interface Merchant {
  readonly id: string;
  readonly category: string;
  /** Hidden: how strongly fraudsters favour this merchant. */
  readonly fraudAffinity: number;
  /** How often cardholders shop here. */
  readonly popularity: number;
}

export interface Card {
  readonly id: string;
  readonly homeCountry: string;
  /** Median amount of the cardholder's own purchases. */
  readonly medianAmount: number;
  readonly amountSigma: number;
  /** How often the cardholder pays with the card (relative weight). */
  readonly activity: number;
}

export function createMerchants(random: Random, count: number): Merchant[] {
  const shares = MERCHANT_CATEGORIES.map((category) => category.share);
  return Array.from({ length: count }, (_, index) => {
    const category = MERCHANT_CATEGORIES[random.weightedIndex(shares)];
    return {
      id: `m-${String(index).padStart(4, '0')}`,
      category: category.name,
      fraudAffinity: category.fraudAffinity * random.logNormal(1, 0.8),
      popularity: random.logNormal(1, 1),
    };
  });
}

export function createCards(random: Random, count: number): Card[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `c-${String(index).padStart(5, '0')}`,
    homeCountry: random.pick(HOME_COUNTRIES),
    medianAmount: random.logNormal(35, 0.6),
    amountSigma: 0.5 + random.next() * 0.5,
    activity: random.logNormal(1, 0.7),
  }));
}

/** Cumulative weights, so a draw is a binary search instead of a scan over thousands of items. */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weight: (item: T) => number,
  ) {
    let sum = 0;
    for (const item of items) {
      sum += weight(item);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  draw(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low];
  }
}

/**
 * Where fraud moves under drift (relative weights by category): away from electronics, jewelry and
 * gift cards, towards everyday merchants a first model learnt to trust.
 */
export const SHIFTED_FRAUD_AFFINITY: Readonly<Record<string, number>> = {
  grocery: 1,
  restaurants: 3,
  fuel: 5,
  transport: 5,
  apparel: 0.5,
  travel: 0.5,
  'online-gaming': 4,
  electronics: 0.3,
  jewelry: 0.2,
  'gift-cards': 0.5,
};
