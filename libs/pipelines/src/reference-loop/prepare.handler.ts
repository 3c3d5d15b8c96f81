import {
  CardState,
  computeFeatureVector,
  FeatureDefinition,
  featureDefinitionKey,
  FRAUD_FEATURES_V1,
  MlError,
  resolveFeatureDefinition,
  RISK_PRIOR,
  RISK_STRENGTH,
} from '@gyre/ml';
import { HandlerError } from '../errors';
import type { StageContext, StageEvent, StageHandler, StageOutput } from '../handler/stage-handler';
import { FeaturesPayload, LOOP_HANDLERS, outputStream, TransactionPayload } from './loop-contracts';

/** Label counts of a merchant or category, as known at some time. */
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
  /** The pipeline's labels of the merchant and of the category that became known strictly before `asOf`. */
  labelCounts(
    pipeline: string,
    merchantId: string,
    category: string,
    asOf: number,
  ): Promise<{ merchant: LabelCounts; category: LabelCounts }>;
  /**
   * Atomically, with the card's state locked: returns the event's recorded row if there is one,
   * otherwise runs `compute` on the card's snapshot (undefined for a new card) and stores both.
   * `scope` names the state: the pipeline's own, or a rebuild's (which must not touch the live one).
   */
  recordOnce(
    scope: string,
    transaction: TransactionPayload,
    compute: (snapshot: unknown) => { row: RecordedFeatures; snapshot: unknown },
  ): Promise<RecordedFeatures>;
}

/**
 * prepare (Key_Shared by card): computes a transaction's features from its card's past, records the
 * transaction in the card's state and emits the features. Idempotent by event id: a redelivered
 * transaction re-emits the features recorded the first time and does not count twice.
 *
 * Point in time: label rates count only labels known before the transaction's own time, so the
 * features do not depend on when the stage happens to run (a replay computes the same ones).
 * Parameters: `featureDefinition` (`id@version`, default fraud.card-features@1) and `stateScope`
 * (card states and recorded rows; default the pipeline's name; a feature rebuild uses its own).
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
    const definition = featureDefinitionOf(context.parameters);
    const scope = stateScopeOf(context.parameters, pipeline);
    const [epoch, rates] = await Promise.all([
      this.store.currentEpoch(pipeline),
      this.store.labelCounts(
        pipeline,
        transaction.merchantId,
        transaction.merchantCategory,
        transaction.timestamp,
      ),
    ]);
    const recorded = await this.store.recordOnce(scope, transaction, (snapshot) => {
      const card = snapshot === undefined ? new CardState(transaction.cardId) : CardState.restore(snapshot);
      const values = computeFeatureVector(definition, {
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
          featureDefinition: featureDefinitionKey(definition),
          values: recorded.values,
        },
      },
    ];
  }
}

/** The stage's `featureDefinition` parameter; an unknown one is the definition's fault, never retried. */
function featureDefinitionOf(parameters: Readonly<Record<string, unknown>>): FeatureDefinition {
  const reference = parameters.featureDefinition;
  if (reference === undefined) return FRAUD_FEATURES_V1;
  try {
    return resolveFeatureDefinition(typeof reference === 'string' ? reference : String(reference));
  } catch (error) {
    if (error instanceof MlError)
      throw new HandlerError(error.code, error.message, { retriable: false, cause: error });
    throw error;
  }
}

function stateScopeOf(parameters: Readonly<Record<string, unknown>>, pipeline: string): string {
  const scope = parameters.stateScope;
  return typeof scope === 'string' && scope !== '' ? scope : pipeline;
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
