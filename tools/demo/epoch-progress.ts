import type { DataSource } from 'typeorm';

/** How far the loop has carried one epoch's events: prepared, scored, joined with labels, trained. */
export interface EpochProgress {
  readonly prepared: number;
  readonly scored: number;
  readonly examples: number;
  /** The newest model version of the pipeline (0: none yet). */
  readonly latestVersion: number;
}

export type EpochStep = 'prepared' | 'scored' | 'joined' | 'trained';

/** Reads an epoch's progress from the loop's bookkeeping in Postgres (one query). */
export async function epochProgress(
  dataSource: DataSource,
  pipeline: string,
  epoch: number,
): Promise<EpochProgress> {
  const [row] = (await dataSource.query(
    `SELECT (SELECT count(*)::int FROM gyre_loop_feature_rows WHERE pipeline = $1 AND epoch = $2) AS prepared,
            (SELECT count(*)::int FROM gyre_loop_joins
              WHERE pipeline = $1 AND prediction IS NOT NULL AND (prediction->>'epoch')::int = $2) AS scored,
            -- Examples are tagged with the epoch they train: the one after their prediction's.
            (SELECT count(*)::int FROM gyre_loop_examples WHERE pipeline = $1 AND epoch = $2 + 1) AS examples,
            (SELECT coalesce(max(version), 0)::int FROM gyre_loop_model_versions WHERE pipeline = $1) AS "latestVersion"`,
    [pipeline, epoch],
  )) as EpochProgress[];
  return row;
}

/**
 * The steps an epoch has completed, given how many events and labels it has: where a slow run spends
 * its time shows as the gap between two steps.
 */
export function completedSteps(progress: EpochProgress, epoch: number, events: number): EpochStep[] {
  const steps: EpochStep[] = [];
  if (progress.prepared >= events) steps.push('prepared');
  if (progress.scored >= events) steps.push('scored');
  if (progress.examples >= events) steps.push('joined');
  if (progress.latestVersion >= epoch) steps.push('trained');
  return steps;
}

/** Records when each step was first seen complete, in seconds since `since`. */
export class EpochTimeline {
  private readonly seen = new Map<EpochStep, number>();

  constructor(private readonly since: number) {}

  observe(steps: readonly EpochStep[], now: number): void {
    for (const step of steps) if (!this.seen.has(step)) this.seen.set(step, (now - this.since) / 1000);
  }

  /** e.g. "prepared +1.2 s, scored +1.9 s, joined +6.0 s, trained +7.1 s" (since the last post). */
  describe(): string {
    return [...this.seen].map(([step, seconds]) => `${step} +${seconds.toFixed(1)} s`).join(', ');
  }
}
