import type { GyreConfig } from '@gyre/config';
import {
  comparePaired,
  compareUnpaired,
  PairedComparison,
  UnpairedComparison,
  WorldConditions,
} from '@gyre/ml';
import { EpochSummary, LoopArtifactStore, LoopLedgerStore } from '@gyre/example-fraud-loop';
import { S3Storage } from '@gyre/storage';
import type { DataSource } from 'typeorm';

/** One epoch, the loop's serving model against the model trained on the history kept frozen, on the same events. */
export interface FrozenVersusLoop {
  readonly epoch: number;
  /** The frozen model: the version trained on the whole labelled history. */
  readonly frozenVersion: number;
  readonly conditions: WorldConditions;
  /** The versions that served the epoch's events (more than one when a challenger was promoted during it). */
  readonly servedBy: readonly number[];
  /** The challengers that scored the epoch's events in shadow (GET /admin/epochs, scoredBy). */
  readonly shadowedBy: readonly number[];
  readonly comparison: PairedComparison;
  /** The frozen model here against itself on the first epoch compared (how it aged; different events, unpaired). */
  readonly frozenSinceFirst: UnpairedComparison;
}

/**
 * From the first epoch after the history on, every labelled event of an epoch as the loop scored it live (its
 * serving model) and as `frozenVersion`, the model trained on the whole history and never retrained, scores the
 * same feature row (done here after the fact on the stored rows): each comparison is paired, on the same events,
 * with bootstrap intervals.
 */
export async function compareFrozenWithLoop(
  config: GyreConfig,
  dataSource: DataSource,
  pipeline: string,
  epochs: readonly EpochSummary[],
  schedule: readonly WorldConditions[],
  seed: string,
  frozenVersion: number,
): Promise<FrozenVersusLoop[]> {
  const first = epochs.find((epoch) => epoch.trained?.version === frozenVersion)?.trained;
  if (!first) return [];
  const lastTag = Math.max(...epochs.map((epoch) => epoch.epoch)) + 1;
  const examples = await new LoopLedgerStore(dataSource).examplesThrough(pipeline, lastTag);
  const storage = new S3Storage(config.s3);
  try {
    const frozen = await new LoopArtifactStore(storage).loadScorer(
      first.artifact.bucket,
      first.artifact.key,
      first.version,
    );
    const results: FrozenVersusLoop[] = [];
    let firstFrozen: { scores: number[]; labels: number[] } | undefined;
    for (const lineage of epochs) {
      // Examples are tagged with the epoch they train: the one after their prediction's.
      const rows = examples.filter((example) => example.epoch === lineage.epoch + 1);
      if (lineage.epoch <= frozenVersion || !lineage.servedBy || rows.length === 0) continue;
      const labels = rows.map((row) => row.label);
      if (!labels.includes(1) || !labels.includes(0)) continue;
      const frozenScores = await frozen.score(rows.map((row) => row.values));
      const loopScores = rows.map((row) => row.score);
      firstFrozen ??= { scores: frozenScores, labels };
      results.push({
        epoch: lineage.epoch,
        frozenVersion,
        conditions: schedule[lineage.epoch - 1],
        servedBy: [
          ...new Set(rows.flatMap((row) => (row.modelVersion === null ? [] : [row.modelVersion]))),
        ].sort((a, b) => a - b),
        shadowedBy: [
          ...new Set(lineage.scoredBy.flatMap((s) => (s.shadowVersion === null ? [] : [s.shadowVersion]))),
        ].sort((a, b) => a - b),
        comparison: comparePaired(frozenScores, loopScores, labels, { seed: `${seed}:${lineage.epoch}` }),
        frozenSinceFirst: compareUnpaired(
          firstFrozen,
          { scores: frozenScores, labels },
          { seed: `${seed}:${lineage.epoch}:frozen` },
        ),
      });
    }
    return results;
  } finally {
    storage.onModuleDestroy();
  }
}
