/**
 * The reference fraud loop's message contracts: handler names and the payload of each stream.
 * Transactions and labels come from the REST API (@gyre/ml's CardTransaction and TransactionOutcome);
 * the rest are published by the loop's stages.
 */
import type { CardTransaction, TransactionOutcome } from '@gyre/ml';

export const LOOP_HANDLERS = {
  prepare: 'fraud.prepare.v1',
  infer: 'fraud.infer.v1',
  feedback: 'fraud.feedback.v1',
  train: 'fraud.train.v1',
} as const;

export type TransactionPayload = CardTransaction;
export type LabelPayload = TransactionOutcome;

/** prepare -> infer: one transaction's features, from the card's past only. */
export interface FeaturesPayload {
  readonly eventId: string;
  readonly cardId: string;
  readonly timestamp: number;
  readonly epoch: number;
  /** `id@version` of the feature definition the values follow. */
  readonly featureDefinition: string;
  readonly values: number[];
  /**
   * Set when the transaction came later than prepare's allowed lateness: how far (ms) its event time was
   * behind its card's latest. Its features are then from what was known, not strictly point in time.
   */
  readonly lateByMs?: number;
}

/** infer -> feedback: a fraud probability and the model version that gave it (null: no model yet). */
export interface PredictionPayload {
  readonly eventId: string;
  readonly cardId: string;
  readonly epoch: number;
  readonly modelVersion: number | null;
  /** The scorer's name for the model: `fraud-v<n>`, `kserve:<model>[/<version>]`, or `prior` before any. */
  readonly model?: string;
  /** `id@version` of the feature definition `values` follow (from the features event). */
  readonly featureDefinition?: string;
  readonly score: number;
  /** The challenger's score of the same features, recorded beside the served one (not served). */
  readonly shadow?: { readonly modelVersion: number; readonly model: string; readonly score: number };
  readonly values: number[];
  /** Carried from the features: the transaction came later than prepare's allowed lateness. */
  readonly lateByMs?: number;
}

/** feedback -> train: a prediction joined with its label, tagged for the next epoch. */
export interface ExamplePayload {
  readonly eventId: string;
  /** The epoch this example trains: the prediction's epoch + 1. */
  readonly epoch: number;
  readonly values: number[];
  readonly label: 0 | 1;
  readonly score: number;
  readonly modelVersion: number | null;
}

/** train -> model-updates: a new model version, where its artifact is and how it evaluated. */
export interface ModelUpdatePayload {
  readonly version: number;
  /** The epoch whose outputs trained it; it serves epoch + 1. */
  readonly epoch: number;
  readonly bucket: string;
  readonly key: string;
  readonly checksum: string;
  readonly metrics: ModelMetrics;
}

/** Held-out evaluation of a model version. */
export interface ModelMetrics {
  readonly examples: number;
  readonly positives: number;
  readonly auc: number;
  readonly logLoss: number;
  readonly brier: number;
  /** Expected calibration error over ten bins. */
  readonly ece: number;
}

/** Reads an integer stage parameter, with a default; a bad value is a definition error, not an event's. */
export function integerParameter(
  parameters: Readonly<Record<string, unknown>>,
  name: string,
  fallback: number,
): number {
  const value = parameters[name];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

export function numberParameter(
  parameters: Readonly<Record<string, unknown>>,
  name: string,
  fallback: number,
): number {
  const value = parameters[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The stream a loop stage publishes to: its `output` parameter, or the loop's default name. */
export function outputStream(parameters: Readonly<Record<string, unknown>>, fallback: string): string {
  const value = parameters.output;
  return typeof value === 'string' && value !== '' ? value : fallback;
}
