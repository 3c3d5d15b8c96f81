import type { DataSource } from 'typeorm';
import { LoopLedgerStore, LoopStateStore, ModelMetrics, NewModelVersion } from '../src';

/** Where the fixtures say datasets and artifacts are (names only: nothing is written there). */
export interface FixtureBuckets {
  datasets: string;
  models: string;
}

/** A model version as train records it, with a one-part dataset and the given held-out metrics. */
export function modelVersionFixture(
  pipeline: string,
  version: number,
  metrics: Partial<ModelMetrics> = {},
  buckets: FixtureBuckets = { datasets: 'datasets', models: 'models' },
): NewModelVersion {
  const padded = String(version).padStart(4, '0');
  return {
    version,
    epoch: version,
    artifact: {
      bucket: buckets.models,
      key: `${pipeline}/v${padded}/model.json`,
      checksum: `sha256:v${version}`,
    },
    dataset: {
      bucket: buckets.datasets,
      key: `${pipeline}/epoch-${padded}/training.parquet`,
      rowCount: 10 * version,
      checksum: `dataset-${version}`,
      sizeBytes: 100,
      schema: [],
      metadata: {},
    },
    metrics: { examples: 10, positives: 2, auc: 0.9, logLoss: 0.1, brier: 0.05, ece: 0.02, ...metrics },
    training: {},
  };
}

/** One labelled example the serving model scored in `epoch` (so tagged `epoch + 1`, as feedback does). */
export interface ScoredExample {
  readonly label: 0 | 1;
  readonly score: number;
}

/**
 * Runs a loop's ledger through `epochs.length` epochs as train would: epoch n's scored examples, a claim,
 * and model version n trained from it (which opens epoch n + 1, served by version n).
 */
export async function recordTrainedEpochs(
  dataSource: DataSource,
  pipeline: string,
  epochs: ReadonlyArray<{ examples: ScoredExample[]; metrics?: Partial<ModelMetrics> }>,
  buckets?: FixtureBuckets,
): Promise<void> {
  const ledger = new LoopLedgerStore(dataSource);
  await new LoopStateStore(dataSource).currentEpoch(pipeline);
  for (const [index, { examples, metrics }] of epochs.entries()) {
    const epoch = index + 1;
    for (const [i, { label, score }] of examples.entries())
      await ledger.addExample(pipeline, {
        eventId: `tx-${epoch}-${i}`,
        epoch: epoch + 1,
        values: [i / 10],
        label,
        score,
        modelVersion: epoch === 1 ? null : epoch - 1,
      });
    if ((await ledger.claimTraining(pipeline, epoch, 60)) !== 'claimed')
      throw new Error(`epoch ${epoch} of ${pipeline} could not be claimed for training`);
    await ledger.recordModelVersion(pipeline, modelVersionFixture(pipeline, epoch, metrics, buckets));
  }
}

/** The transaction a recorded prediction scored (the loop records its feature row first). */
export const SCORED_TRANSACTION = {
  cardId: 'card-1',
  merchantId: 'm-1',
  merchantCategory: 'grocery',
  amount: 12.5,
  country: 'NL',
  timestamp: 1_795_400_000_000,
} as const;

/** Records a prediction as infer does: the transaction's feature row in `epoch`, then the score of `modelVersion`. */
export async function recordPredictionFixture(
  dataSource: DataSource,
  pipeline: string,
  prediction: { eventId: string; epoch: number; modelVersion: number; score: number; values: number[] },
): Promise<void> {
  const state = new LoopStateStore(dataSource);
  await state.currentEpoch(pipeline);
  const { eventId, epoch, modelVersion, score, values } = prediction;
  await state.recordOnce(pipeline, { eventId, ...SCORED_TRANSACTION }, () => ({
    row: { epoch, values },
    snapshot: {},
  }));
  await state.recordPrediction(pipeline, {
    eventId,
    cardId: SCORED_TRANSACTION.cardId,
    epoch,
    modelVersion,
    model: `fraud-v${modelVersion}`,
    featureDefinition: 'fraud.card-features@1',
    score,
    values,
  });
}
