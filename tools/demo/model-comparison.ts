import type { GyreConfig } from '@gyre/config';
import { evaluate, isHeldOut } from '@gyre/ml';
import { EpochLineage, LoopArtifactStore, LoopLedgerStore } from '@gyre/example-fraud-loop';
import { S3Storage } from '@gyre/storage';
import type { DataSource } from 'typeorm';

/**
 * Every trained version scored on one evaluation set: the held-out examples of the last epoch, which
 * none of them trained on. Each version's own held-out figures come from a different, small slice;
 * this is the like-for-like comparison of whether the loop improved the model.
 */
export async function compareOnLatestHeldOut(
  config: GyreConfig,
  dataSource: DataSource,
  pipeline: string,
  epochs: readonly EpochLineage[],
  seed: string,
  heldOutFraction = 0.2,
): Promise<string> {
  const trained = epochs.filter((epoch) => epoch.trained !== null);
  if (trained.length < 2) return '';
  const lastTag = trained[trained.length - 1].epoch + 1;
  const examples = (await new LoopLedgerStore(dataSource).examplesThrough(pipeline, lastTag)).filter(
    (example) => example.epoch === lastTag && isHeldOut(example.eventId, heldOutFraction, seed),
  );
  const storage = new S3Storage(config.s3);
  try {
    const artifacts = new LoopArtifactStore(storage);
    const lines = [`Every version on the same ${examples.length} held-out examples of epoch ${lastTag - 1}:`];
    for (const epoch of trained) {
      const { version, artifact } = epoch.trained!;
      const scorer = await artifacts.loadScorer(artifact.bucket, artifact.key, version);
      const result = evaluate(
        await scorer.score(examples.map((example) => example.values)),
        examples.map((example) => example.label),
      );
      lines.push(`  v${version}: AUC ${result.auc.toFixed(4)}, log loss ${result.logLoss.toFixed(4)}`);
    }
    return lines.join('\n');
  } finally {
    storage.onModuleDestroy();
  }
}
