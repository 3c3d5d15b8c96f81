import { logLoss, rocAuc } from '@gyre/ml';

const DAY = 24 * 3_600_000;

/** How long after its transaction a label counts as matured at each horizon; `final` is every label so far. */
export const MATURITY_HORIZONS = { '1d': DAY, '7d': 7 * DAY } as const;

export type MaturityHorizon = keyof typeof MATURITY_HORIZONS | 'final';

/** One event of an epoch: when it happened, when its label became known (if yet), its served score. */
export interface MaturityRow {
  readonly epoch: number;
  readonly eventTime: number;
  readonly knownAt: number | null;
  readonly label: 0 | 1 | null;
  readonly score: number | null;
}

export interface MaturedMetrics {
  /** Events whose label was known within the horizon, and their share of the epoch's events. */
  readonly labelled: number;
  readonly share: number;
  readonly positives: number;
  /** On the scored events among them; null while they hold one class (AUC) or none (log loss). */
  readonly auc: number | null;
  readonly logLoss: number | null;
}

export interface EpochMaturity {
  readonly epoch: number;
  readonly events: number;
  readonly horizons: Readonly<Record<MaturityHorizon, MaturedMetrics>>;
}

/**
 * Live metrics of each epoch by label maturity: what was known a day and a week after each transaction, and
 * now. Computed from the labels as they stand, so a late label updates an earlier epoch's `final` figures
 * (and its horizon's, if it came within it); features are not involved.
 */
export function maturityByEpoch(rows: readonly MaturityRow[]): EpochMaturity[] {
  const epochs = new Map<number, MaturityRow[]>();
  for (const row of rows) epochs.set(row.epoch, [...(epochs.get(row.epoch) ?? []), row]);
  return [...epochs.entries()]
    .sort(([a], [b]) => a - b)
    .map(([epoch, events]) => ({
      epoch,
      events: events.length,
      horizons: {
        '1d': matured(events, MATURITY_HORIZONS['1d']),
        '7d': matured(events, MATURITY_HORIZONS['7d']),
        final: matured(events, Infinity),
      },
    }));
}

function matured(events: readonly MaturityRow[], horizonMs: number): MaturedMetrics {
  const known = events.filter(
    (row) => row.label !== null && row.knownAt !== null && row.knownAt - row.eventTime <= horizonMs,
  );
  const scored = known.filter((row) => row.score !== null);
  const scores = scored.map((row) => row.score as number);
  const labels = scored.map((row) => row.label as 0 | 1);
  const positives = labels.filter((label) => label === 1).length;
  return {
    labelled: known.length,
    share: events.length === 0 ? 0 : known.length / events.length,
    positives: known.filter((row) => row.label === 1).length,
    auc: positives > 0 && positives < labels.length ? rocAuc(scores, labels) : null,
    logLoss: labels.length > 0 ? logLoss(scores, labels) : null,
  };
}
