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

/** One matured event of a pipeline: served by `champion`, shadowed by `challenger`, with its label in. */
export interface ShadowedOutcome {
  readonly champion: { readonly version: number; readonly score: number };
  readonly challenger: { readonly version: number; readonly score: number };
  readonly label: 0 | 1;
}

/**
 * Records predictions with their shadow scores and then their labels through the loop's join store, as infer's
 * outputs and the labels stream reach feedback: what champion/challenger compares on.
 */
export async function recordShadowedOutcomes(
  dataSource: DataSource,
  pipeline: string,
  outcomes: readonly ShadowedOutcome[],
): Promise<void> {
  const state = new LoopStateStore(dataSource);
  for (const [i, { champion, challenger, label }] of outcomes.entries()) {
    const eventId = `tx-shadow-${champion.version}-${challenger.version}-${i}`;
    await state.recordPrediction(pipeline, {
      eventId,
      cardId: `card-${i}`,
      epoch: 3,
      modelVersion: champion.version,
      model: `fraud-v${champion.version}`,
      score: champion.score,
      shadow: {
        modelVersion: challenger.version,
        model: `fraud-v${challenger.version}`,
        score: challenger.score,
      },
      values: [i],
    });
    await state.recordLabel(
      pipeline,
      {
        eventId,
        cardId: `card-${i}`,
        merchantId: 'm-1',
        merchantCategory: 'grocery',
        label: label === 1 ? 'fraud' : 'legit',
        source: label === 1 ? 'chargeback' : 'settled',
        transactionTime: 1_795_400_000_000 + i,
        reportedAt: 1_795_400_000_000 + i + 3_600_000,
      },
      label,
    );
  }
}

/** `count` matured events on which the challenger ranks and calibrates better than the champion. */
export function challengerWins(champion: number, challenger: number, count: number): ShadowedOutcome[] {
  return Array.from({ length: count }, (_, i) => {
    const label = i % 4 === 0 ? 1 : 0;
    return {
      champion: { version: champion, score: label === 1 ? 0.3 : 0.4 },
      challenger: { version: challenger, score: label === 1 ? 0.8 : 0.05 },
      label,
    };
  });
}
