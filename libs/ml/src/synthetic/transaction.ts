/** A card payment as the generator posts it to the transactions stream. */
export interface CardTransaction {
  /** Unique, deterministic under the generator's seed; the `gyre-event-id` of the event. */
  readonly eventId: string;
  readonly cardId: string;
  readonly merchantId: string;
  readonly merchantCategory: string;
  /** In the card's currency, rounded to cents. */
  readonly amount: number;
  /** ISO 3166-1 alpha-2 code of where the payment happened. */
  readonly country: string;
  /** Event time, ms since the Unix epoch. */
  readonly timestamp: number;
}

export type OutcomeLabel = 'fraud' | 'legit';

/** How the outcome became known: a chargeback, the cardholder's report, or the end of the dispute window. */
export type OutcomeSource = 'chargeback' | 'cardholder-report' | 'settled';

/** The outcome of one transaction, posted to the labels stream when it becomes known. */
export interface TransactionOutcome {
  /** The transaction's event id: the join key between predictions and labels. */
  readonly eventId: string;
  readonly cardId: string;
  readonly merchantId: string;
  readonly merchantCategory: string;
  readonly label: OutcomeLabel;
  readonly source: OutcomeSource;
  readonly transactionTime: number;
  /** When the outcome became known (ms); always after the transaction time. */
  readonly reportedAt: number;
}
