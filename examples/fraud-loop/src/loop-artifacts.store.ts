import { parseModelArtifact, Scorer, BuiltInScorer } from '@gyre/ml';
import type { DatasetCard } from '@gyre/ml';
import { DatasetColumn, DatasetRow, ParquetDatasetStore, S3Storage } from '@gyre/storage';
import type { LoopArtifacts, StoredDataset } from './train.handler';
import { DATASET_FEATURES } from './train-model';

/** Where a loop's objects live: `<pipeline>/epoch-<n>/...` and `<pipeline>/v<n>/...`. */
export function datasetKey(pipeline: string, epoch: number): string {
  return `${pipeline}/epoch-${String(epoch).padStart(4, '0')}/training.parquet`;
}

export function modelKey(pipeline: string, version: number): string {
  return `${pipeline}/v${String(version).padStart(4, '0')}/model.json`;
}

/** Model artifacts in the models bucket and training datasets (Parquet) in the datasets bucket. */
export class LoopArtifactStore implements LoopArtifacts {
  private readonly datasets: ParquetDatasetStore;

  constructor(private readonly storage: S3Storage) {
    this.datasets = new ParquetDatasetStore(storage);
  }

  async writeModel(
    pipeline: string,
    version: number,
    artifact: string,
  ): Promise<{ bucket: string; key: string }> {
    const bucket = this.storage.buckets.models;
    const key = modelKey(pipeline, version);
    await this.storage.putObject(bucket, key, artifact, { contentType: 'application/json' });
    return { bucket, key };
  }

  async writeDataset(
    pipeline: string,
    epoch: number,
    columns: readonly DatasetColumn[],
    rows: readonly DatasetRow[],
    card?: DatasetCard,
  ): Promise<StoredDataset> {
    const manifest = await this.datasets.write({
      key: datasetKey(pipeline, epoch),
      columns,
      rows,
      // The card in the Parquet footer too: a downloaded file describes itself (docs/ml.md, "Dataset cards").
      metadata: {
        pipeline,
        epoch: String(epoch),
        features: DATASET_FEATURES,
        ...(card ? { card: JSON.stringify(card) } : {}),
      },
    });
    return {
      bucket: manifest.bucket,
      key: manifest.keys[0],
      rowCount: manifest.rowCount,
      checksum: manifest.checksum.value,
      sizeBytes: manifest.sizeBytes,
      schema: manifest.schema,
      metadata: manifest.metadata,
    };
  }

  /** Reads and verifies a model artifact (its checksum is checked by parseModelArtifact). */
  async loadScorer(bucket: string, key: string, version: number): Promise<Scorer> {
    const artifact = parseModelArtifact(await this.storage.getObject(bucket, key));
    return new BuiltInScorer(artifact, `fraud-v${version}`);
  }
}
