import { MlError } from '../ml-error';

/** One feature's summary in a dataset card: over its finite values; `missing` counts the others. */
export interface FeatureSummary {
  readonly name: string;
  readonly mean: number | null;
  /** Population standard deviation (divided by n). */
  readonly std: number | null;
  readonly missing: number;
}

/** What a data scientist needs to know about a dataset before opening it. */
export interface DatasetCard {
  readonly rows: number;
  readonly positives: number;
  /** Share of rows labelled fraud (null for an empty dataset). */
  readonly labelRate: number | null;
  readonly heldOutRows: number;
  readonly heldOutShare: number | null;
  /** Event time of the earliest and latest row (ms since the epoch); null when no row has one. */
  readonly eventTime: { readonly from: number; readonly to: number } | null;
  /** `id@version` of the feature definition the feature columns follow. */
  readonly featureDefinition: string;
  readonly features: FeatureSummary[];
}

/** One dataset row as the card reads it. */
export interface CardRow {
  readonly values: readonly (number | null)[];
  readonly label: 0 | 1;
  readonly heldOut: boolean;
  readonly eventTime: number | null;
}

/** The card of a dataset's rows, whose values follow `features` of `featureDefinition`. */
export function datasetCard(
  featureDefinition: string,
  features: readonly string[],
  rows: readonly CardRow[],
): DatasetCard {
  if (rows.some((row) => row.values.length !== features.length)) {
    throw new MlError('FEATURE_DEFINITION_MISMATCH', `every row needs ${features.length} values`);
  }
  const positives = rows.filter((row) => row.label === 1).length;
  const heldOutRows = rows.filter((row) => row.heldOut).length;
  const times = rows.flatMap((row) => (row.eventTime === null ? [] : [row.eventTime]));
  return {
    rows: rows.length,
    positives,
    labelRate: rows.length > 0 ? positives / rows.length : null,
    heldOutRows,
    heldOutShare: rows.length > 0 ? heldOutRows / rows.length : null,
    eventTime: times.length > 0 ? { from: Math.min(...times), to: Math.max(...times) } : null,
    featureDefinition,
    features: features.map((name, j) =>
      summarize(
        name,
        rows.map((row) => row.values[j]),
      ),
    ),
  };
}

function summarize(name: string, values: readonly (number | null)[]): FeatureSummary {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (present.length === 0) return { name, mean: null, std: null, missing: values.length };
  const mean = present.reduce((sum, value) => sum + value, 0) / present.length;
  const variance = present.reduce((sum, value) => sum + (value - mean) ** 2, 0) / present.length;
  return { name, mean, std: Math.sqrt(variance), missing: values.length - present.length };
}
