import {
  CardHistory,
  computeFeatureVector,
  FeatureDefinition,
  featureDefinitionKey,
  FRAUD_FEATURES_V1,
  MlError,
  resolveFeatureDefinition,
  RISK_PRIOR,
  RISK_STRENGTH,
} from '@gyre/ml';
import { HandlerError } from '@gyre/pipelines';
import type {
  BatchItemResult,
  BatchStageHandler,
  StageContext,
  StageEvent,
  StageHandler,
  StageOutput,
} from '@gyre/pipelines';
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
  /** Set when the event came later than the allowed lateness: how far behind its card's latest it was. */
  readonly lateByMs?: number;
}

/** The label counts one event needs: its merchant's and category's, known strictly before `asOf`. */
export interface LabelCountsQuery {
  readonly merchantId: string;
  readonly category: string;
  readonly asOf: number;
}

/**
 * One transaction's step on its card's snapshot (undefined for a new card), at `position` in its batch:
 * the row and the new snapshot, or an Error that fails this transaction alone (it leaves no trace).
 */
export type CardStep = (
  transaction: TransactionPayload,
  snapshot: unknown,
  position: number,
) => { row: RecordedFeatures; snapshot: unknown } | Error;

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
  /** labelCounts of many events at once, in their order. */
  labelCountsMany(
    pipeline: string,
    queries: readonly LabelCountsQuery[],
  ): Promise<{ merchant: LabelCounts; category: LabelCounts }[]>;
  /**
   * recordOnce for a batch, atomically: every transaction in order (a card's events see each other's
   * state), each returning its recorded row when there is one. All or nothing: if `step` throws, or the
   * store fails, nothing of the batch is kept.
   */
  recordBatch(
    scope: string,
    transactions: readonly TransactionPayload[],
    step: CardStep,
  ): Promise<(RecordedFeatures | Error)[]>;
}

/**
 * prepare (Key_Shared by card): computes a transaction's features from its card's past, records the
 * transaction in the card's state and emits the features. Idempotent by event id: a redelivered
 * transaction re-emits the features recorded the first time and does not count twice.
 *
 * Point in time: card features read only the card's transactions strictly before this one's event time,
 * and label rates only labels known before it, so the features do not depend on when the stage happens to
 * run (a replay computes the same ones). A transaction that comes behind its card's latest within the
 * stage's `allowedLatenessMs` takes its place in event time and gets exactly the features it would have had
 * in order; a later one is still scored, from what is known, flagged with `lateByMs` and counted
 * (StageContext.observeLateEvent). Nothing is dead-lettered for its time.
 * Parameters: `featureDefinition` (`id@version`, default fraud.card-features@1) and `stateScope`
 * (card states and recorded rows; default the pipeline's name; a feature rebuild uses its own).
 */
export class PrepareHandler
  implements
    StageHandler<TransactionPayload, FeaturesPayload>,
    BatchStageHandler<TransactionPayload, FeaturesPayload>
{
  readonly name = LOOP_HANDLERS.prepare;

  constructor(private readonly store: CardFeatureStore) {}

  /** One event, in its own transaction (four round trips, plus the epoch and the label counts). */
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
    let fresh: RecordedFeatures | undefined;
    const recorded = await this.store.recordOnce(scope, transaction, (snapshot) => {
      const outcome = step(definition, transaction, snapshot, rates, epoch, allowedLatenessOf(context));
      fresh = outcome.row;
      return outcome;
    });
    // Counted once its row is kept (the store returns the earlier row of a redelivery).
    if (recorded === fresh && fresh.lateByMs !== undefined) context.observeLateEvent?.(fresh.lateByMs);
    return [featuresOutput(context, definition, transaction, recorded)];
  }

  /**
   * A batch with the same effect as its events handled one by one in order, for the Postgres round trips
   * of about one event: the epoch and every label count in two parallel reads, then one transaction for
   * all the cards' state (see CardFeatureStore.recordBatch). An invalid transaction fails alone
   * (not retriable: it is dead-lettered, like on the single path); any other failure throws, so nothing
   * of the batch is committed and the runtime retries the whole batch, keeping each card's order.
   */
  async handleBatch(
    events: readonly StageEvent<TransactionPayload>[],
    context: StageContext,
  ): Promise<BatchItemResult<FeaturesPayload>[]> {
    const { pipeline } = context;
    const definition = featureDefinitionOf(context.parameters);
    const scope = stateScopeOf(context.parameters, pipeline);
    const results = new Array<BatchItemResult<FeaturesPayload>>(events.length);
    const valid: { index: number; transaction: TransactionPayload }[] = [];
    events.forEach((event, index) => {
      try {
        valid.push({ index, transaction: checkTransaction(event.payload) });
      } catch (error) {
        results[index] = error as HandlerError;
      }
    });
    if (valid.length === 0) return results;
    const transactions = valid.map(({ transaction }) => transaction);
    const [epoch, rates] = await Promise.all([
      this.store.currentEpoch(pipeline),
      this.store.labelCountsMany(
        pipeline,
        transactions.map((t) => ({
          merchantId: t.merchantId,
          category: t.merchantCategory,
          asOf: t.timestamp,
        })),
      ),
    ]);
    const allowedLatenessMs = allowedLatenessOf(context);
    const fresh = new Set<RecordedFeatures>();
    const recorded = await this.store.recordBatch(scope, transactions, (transaction, snapshot, position) => {
      const outcome = step(definition, transaction, snapshot, rates[position], epoch, allowedLatenessMs);
      fresh.add(outcome.row);
      return outcome;
    });
    valid.forEach(({ index, transaction }, position) => {
      const row = recorded[position];
      // fresh.delete: an event twice in one batch gets the same row back, and is counted once.
      if (!(row instanceof Error) && fresh.delete(row) && row.lateByMs !== undefined)
        context.observeLateEvent?.(row.lateByMs);
      results[index] = row instanceof Error ? row : [featuresOutput(context, definition, transaction, row)];
    });
    return results;
  }
}

/** The features of a transaction as of its time on its card, and the card's snapshot with it recorded. */
function step(
  definition: FeatureDefinition,
  transaction: TransactionPayload,
  snapshot: unknown,
  rates: { merchant: LabelCounts; category: LabelCounts },
  epoch: number,
  allowedLatenessMs: number,
): { row: RecordedFeatures; snapshot: unknown } {
  const card = snapshot === undefined ? CardHistory.empty(transaction.cardId) : CardHistory.restore(snapshot);
  const values = computeFeatureVector(definition, {
    transaction,
    card: card.asOf(transaction.timestamp),
    merchantRisk: smoothed(rates.merchant),
    categoryRisk: smoothed(rates.category),
  });
  const lateness = card.lateness(transaction.timestamp);
  card.record(transaction, allowedLatenessMs);
  const row = lateness > allowedLatenessMs ? { epoch, values, lateByMs: lateness } : { epoch, values };
  return { row, snapshot: card.snapshot() };
}

function allowedLatenessOf(context: StageContext): number {
  return context.allowedLatenessMs ?? 0;
}

function featuresOutput(
  context: StageContext,
  definition: FeatureDefinition,
  transaction: TransactionPayload,
  recorded: RecordedFeatures,
): StageOutput<FeaturesPayload> {
  return {
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
      ...(recorded.lateByMs === undefined ? {} : { lateByMs: recorded.lateByMs }),
    },
  };
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
