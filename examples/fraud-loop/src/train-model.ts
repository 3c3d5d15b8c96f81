import {
  datasetCard,
  evaluate,
  featureDefinitionKey,
  FRAUD_FEATURES_V1,
  isHeldOut,
  LogisticModel,
  scoreVector,
  serializeModel,
  trainLogisticRegression,
} from '@gyre/ml';
import type { DatasetCard } from '@gyre/ml';
import type { DatasetColumn, DatasetRow } from '@gyre/storage';
import type { ModelMetrics } from './loop-contracts';

/** A stored training example, as train reads them back. */
export interface ExampleRow {
  readonly eventId: string;
  /** The epoch the example trains (its prediction's epoch + 1), as tagged on the examples stream. */
  readonly epoch: number;
  /** The event's partition key (the card id) and event time, from its feature row; null if it has none. */
  readonly key: string | null;
  readonly eventTime: number | null;
  readonly values: readonly number[];
  readonly label: 0 | 1;
  readonly score: number;
  readonly modelVersion: number | null;
}

export interface TrainingRun {
  readonly model: LogisticModel;
  readonly artifact: string;
  readonly metrics: ModelMetrics;
  readonly columns: DatasetColumn[];
  readonly rows: DatasetRow[];
  /** The dataset's card: rows, label rate, held-out share, feature summaries, event-time range. */
  readonly card: DatasetCard;
}

export interface TrainingPlan {
  /** The epoch being closed: the model trains on examples tagged up to epoch + 1. */
  readonly epoch: number;
  /** Salt of the held-out split: the same seed puts every event on the same side. */
  readonly seed: string;
  readonly heldOutFraction: number;
}

/**
 * Trains the next model version on every example up to epoch + 1 outside the held-out split, and
 * evaluates it on the held-out examples of epoch + 1. Deterministic: the same examples and seed give
 * the same artifact to the byte (rows are sorted by epoch and event id first). Undefined when either
 * side lacks a fraud or a legit example: there is nothing to learn or to measure yet.
 */
export function trainNextModel(examples: readonly ExampleRow[], plan: TrainingPlan): TrainingRun | undefined {
  const sorted = [...examples].sort(
    (a, b) => a.epoch - b.epoch || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
  const heldOut = (row: ExampleRow) => isHeldOut(row.eventId, plan.heldOutFraction, plan.seed);
  const training = sorted.filter((row) => !heldOut(row));
  const evaluation = sorted.filter((row) => row.epoch === plan.epoch + 1 && heldOut(row));
  if (!bothClasses(training) || !bothClasses(evaluation)) return undefined;
  const model = trainLogisticRegression(
    FRAUD_FEATURES_V1,
    training.map((row) => row.values),
    training.map((row) => row.label),
    { tags: { epoch: String(plan.epoch), seed: plan.seed } },
  );
  const artifact = serializeModel(model);
  const result = evaluate(
    evaluation.map((row) => scoreVector(model, row.values)),
    evaluation.map((row) => row.label),
  );
  return {
    model,
    artifact,
    metrics: {
      examples: result.examples,
      positives: result.positives,
      auc: result.auc,
      logLoss: result.logLoss,
      brier: result.brier,
      ece: result.calibration.ece,
    },
    columns: datasetColumns(),
    rows: sorted.map((row) => toDatasetRow(row, heldOut(row))),
    card: datasetCard(
      DATASET_FEATURES,
      FRAUD_FEATURES_V1.features,
      sorted.map((row) => ({
        values: row.values,
        label: row.label,
        heldOut: heldOut(row),
        eventTime: row.eventTime,
      })),
    ),
  };
}

/** Live evaluation of the model that served an epoch: its scores on the examples it produced. */
export function liveMetrics(examples: readonly ExampleRow[]): LiveMetrics | undefined {
  if (!bothClasses(examples)) return undefined;
  const result = evaluate(
    examples.map((row) => row.score),
    examples.map((row) => row.label),
  );
  return {
    examples: result.examples,
    auc: result.auc,
    logLoss: result.logLoss,
    brier: result.brier,
    ece: result.calibration.ece,
  };
}

/** How a serving model did on the labelled events of the epoch it scored (calibration as Brier and ECE). */
export interface LiveMetrics {
  readonly examples: number;
  readonly auc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly ece: number;
}

export const DATASET_FEATURES = featureDefinitionKey(FRAUD_FEATURES_V1);

/** The training dataset's schema (documented in docs/pipelines.md, "Training datasets"). */
function datasetColumns(): DatasetColumn[] {
  return [
    { name: 'event_id', type: 'string' },
    { name: 'key', type: 'string', nullable: true },
    { name: 'event_time', type: 'timestamp', nullable: true },
    { name: 'epoch', type: 'int64' },
    { name: 'label', type: 'int64' },
    { name: 'score', type: 'double' },
    { name: 'model_version', type: 'int64', nullable: true },
    { name: 'held_out', type: 'boolean' },
    ...FRAUD_FEATURES_V1.features.map((name) => ({ name, type: 'double' as const })),
  ];
}

function toDatasetRow(row: ExampleRow, heldOut: boolean): DatasetRow {
  const features = Object.fromEntries(FRAUD_FEATURES_V1.features.map((name, j) => [name, row.values[j]]));
  return {
    event_id: row.eventId,
    key: row.key,
    event_time: row.eventTime,
    // The epoch the event was scored in: the row's own, not the one its example was tagged to train.
    epoch: row.epoch - 1,
    label: row.label,
    score: row.score,
    model_version: row.modelVersion,
    held_out: heldOut,
    ...features,
  };
}

function bothClasses(rows: readonly ExampleRow[]): boolean {
  return rows.some((row) => row.label === 1) && rows.some((row) => row.label === 0);
}
