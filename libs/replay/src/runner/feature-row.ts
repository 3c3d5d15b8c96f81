import type { StageEvent, StageOutput } from '@gyre/pipelines';
import type { DatasetRow } from '@gyre/storage';

/** Turns one output of a replayed stage into a training-dataset row, or undefined when it holds none. */
export type FeatureRowReader = (output: StageOutput, input: StageEvent) => DatasetRow | undefined;

/**
 * The payload a feature-rebuild stage's outputs carry for the training dataset: the feature values in the
 * order of the feature definition's names, optionally the event id and time the row is for (by default,
 * the input's). A stage whose outputs carry their features otherwise supplies its own FeatureRowReader.
 */
export interface FeatureVectorPayload {
  readonly values: readonly number[];
  readonly eventId?: string;
  readonly timestamp?: number;
}

/** The reader for outputs that follow FeatureVectorPayload with one value per feature name. */
export function featureVectorRows(features: readonly string[]): FeatureRowReader {
  return (output, input) => {
    const payload = output.payload as Partial<FeatureVectorPayload> | null | undefined;
    if (!Array.isArray(payload?.values) || payload.values.length !== features.length) return undefined;
    const row: Record<string, string | number | null> = {
      event_id: typeof payload.eventId === 'string' ? payload.eventId : input.id,
      key: output.key ?? input.key ?? null,
      event_time: typeof payload.timestamp === 'number' ? payload.timestamp : input.eventTime,
    };
    const values = payload.values;
    features.forEach((name, index) => (row[name] = Number(values[index])));
    return row;
  };
}
