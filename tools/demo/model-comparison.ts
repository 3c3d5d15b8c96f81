import type { GyreConfig } from '@gyre/config';
import {
  calibration,
  comparePaired,
  FeatureDrift,
  featureDrift,
  FRAUD_FEATURES_V1,
  PairedComparison,
  populationStability,
  WorldConditions,
} from '@gyre/ml';
import { EpochLineage, LoopArtifactStore, LoopLedgerStore } from '@gyre/example-fraud-loop';
import { S3Storage } from '@gyre/storage';
import type { DataSource } from 'typeorm';

/** One epoch, the loop's serving model against the first model kept frozen, on the same events. */
export interface FrozenVersusLoop {
  readonly epoch: number;
  readonly conditions: WorldConditions;
  /** The versions that served the epoch's events (more than one when a challenger was promoted during it). */
  readonly servedBy: readonly number[];
  readonly comparison: PairedComparison;
  /** Monitoring of the epoch against epoch 1's events (what v1 trained on). */
  readonly monitoring: {
    /** The most drifted features (PSI). */
    readonly features: readonly FeatureDrift[];
    /** PSI of frozen v1's scores (prediction drift). */
    readonly scorePsi: number;
    readonly eceFrozen: number;
    readonly eceLoop: number;
  };
}

/**
 * From epoch 2 on, every labelled event of an epoch as the loop scored it live (its serving model)
 * and as the frozen first version scores the same feature row (shadow scoring, done here after the
 * fact on the stored rows): each comparison is paired, on the same events, with bootstrap intervals.
 */
export async function compareFrozenWithLoop(
  config: GyreConfig,
  dataSource: DataSource,
  pipeline: string,
  epochs: readonly EpochLineage[],
  schedule: readonly WorldConditions[],
  seed: string,
): Promise<FrozenVersusLoop[]> {
  const first = epochs.find((epoch) => epoch.trained?.version === 1)?.trained;
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
    const reference = examples.filter((example) => example.epoch === 2);
    const referenceScores = await frozen.score(reference.map((row) => row.values));
    const results: FrozenVersusLoop[] = [];
    for (const lineage of epochs) {
      // Examples are tagged with the epoch they train: the one after their prediction's.
      const rows = examples.filter((example) => example.epoch === lineage.epoch + 1);
      if (lineage.epoch < 2 || !lineage.servedBy || rows.length === 0) continue;
      const labels = rows.map((row) => row.label);
      if (!labels.includes(1) || !labels.includes(0)) continue;
      const frozenScores = await frozen.score(rows.map((row) => row.values));
      const loopScores = rows.map((row) => row.score);
      const monitoring = {
        features: featureDrift(
          FRAUD_FEATURES_V1.features,
          reference.map((row) => row.values),
          rows.map((row) => row.values),
        ).slice(0, 2),
        scorePsi: populationStability(referenceScores, frozenScores),
        eceFrozen: calibration(frozenScores, labels).ece,
        eceLoop: calibration(loopScores, labels).ece,
      };
      results.push({
        monitoring,
        epoch: lineage.epoch,
        conditions: schedule[lineage.epoch - 1],
        servedBy: [
          ...new Set(rows.flatMap((row) => (row.modelVersion === null ? [] : [row.modelVersion]))),
        ].sort((a, b) => a - b),
        comparison: comparePaired(frozenScores, loopScores, labels, { seed: `${seed}:${lineage.epoch}` }),
      });
    }
    return results;
  } finally {
    storage.onModuleDestroy();
  }
}
