import {
  CardState,
  computeFeatureVector,
  featureDefinitionKey,
  FRAUD_FEATURES_V1,
  MlError,
  RISK_PRIOR,
  RISK_STRENGTH,
} from '@gyre/ml';
import { HandlerError } from '../errors';
import type { StageContext, StageEvent, StageHandler, StageOutput } from '../handler/stage-handler';
import { FeaturesPayload, LOOP_HANDLERS, outputStream, TransactionPayload } from './loop-contracts';

/** Label counts of a merchant or category, as known now. */
export interface LabelCounts {
  readonly labels: number;
  readonly fraud: number;
}

/** What one event's features were, once recorded: a redelivery gets the same row back. */
export interface RecordedFeatures {
  readonly epoch: number;
  readonly values: number[];
}

/** The prepare stage's state: per-card snapshots, recorded feature rows, label counts, the open epoch. */
export interface CardFeatureStore {
  currentEpoch(pipeline: string): Promise<number>;
  labelCounts(
    pipeline: string,
    merchantId: string,
    category: string,
  ): Promise<{ merchant: LabelCounts; category: LabelCounts }>;
  /**
   * Atomically, with the card's state locked: returns the event's recorded row if there is one,
   * otherwise runs `compute` on the card's snapshot (undefined for a new card) and stores both.
   */
  recordOnce(
    pipeline: string,
    transaction: TransactionPayload,
    compute: (snapshot: unknown) => { row: RecordedFeatures; snapshot: unknown },
  ): Promise<RecordedFeatures>;
}

/**
 * prepare (Key_Shared by card): computes a transaction's features from its card's past, records the
 * transaction in the card's state and emits the features. Idempotent by event id: a redelivered
 * transaction re-emits the features recorded the first time and does not count twice.
 */
export class PrepareHandler implements StageHandler<TransactionPayload, FeaturesPayload> {
  readonly name = LOOP_HANDLERS.prepare;

  constructor(private readonly store: CardFeatureStore) {}

  async handle(
    event: StageEvent<TransactionPayload>,
    context: StageContext,
  ): Promise<StageOutput<FeaturesPayload>[]> {
    const transaction = checkTransaction(event.payload);
    const { pipeline } = context;
    const [epoch, rates] = await Promise.all([
      this.store.currentEpoch(pipeline),
      this.store.labelCounts(pipeline, transaction.merchantId, transaction.merchantCategory),
    ]);
    const recorded = await this.store.recordOnce(pipeline, transaction, (snapshot) => {
      const card = snapshot === undefined ? new CardState(transaction.cardId) : CardState.restore(snapshot);
      const values = computeFeatureVector(FRAUD_FEATURES_V1, {
        transaction,
        card,
        merchantRisk: smoothed(rates.merchant),
        categoryRisk: smoothed(rates.category),
      });
      try {
        card.record(transaction);
      } catch (error) {
        if (error instanceof MlError && error.code === 'LATE_EVENT')
          throw new HandlerError('LATE_EVENT', error.message, { retriable: false, cause: error });
        throw error;
      }
      return { row: { epoch, values }, snapshot: card.snapshot() };
    });
    return [
      {
        stream: outputStream(context.parameters, 'features'),
        key: transaction.cardId,
        epoch: String(recorded.epoch),
        payload: {
          eventId: transaction.eventId,
          cardId: transaction.cardId,
          timestamp: transaction.timestamp,
          epoch: recorded.epoch,
          featureDefinition: featureDefinitionKey(FRAUD_FEATURES_V1),
          values: recorded.values,
        },
      },
    ];
  }
}

function smoothed(counts: LabelCounts): { rate: number; labels: number } {
  return {
    rate: (counts.fraud + RISK_STRENGTH * RISK_PRIOR) / (counts.labels + RISK_STRENGTH),
    labels: counts.labels,
  };
}

function checkTransaction(payload: unknown): TransactionPayload {
  const value = payload as Partial<TransactionPayload> | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.eventId !== 'string' ||
    typeof value.cardId !== 'string' ||
    typeof value.merchantId !== 'string' ||
    typeof value.merchantCategory !== 'string' ||
    typeof value.country !== 'string' ||
    !(typeof value.amount === 'number' && value.amount > 0) ||
    !Number.isFinite(value.timestamp)
  )
    throw new HandlerError('INVALID_TRANSACTION', 'not a card transaction', { retriable: false });
  return value as TransactionPayload;
}
