import type { DatasetCard } from '@gyre/ml';
import type { DatasetColumn, DatasetRow } from '@gyre/storage';
import { HandlerError } from '@gyre/pipelines';
import type { StageContext, StageEvent, StageHandler, StageOutput } from '@gyre/pipelines';
import {
  ExamplePayload,
  integerParameter,
  LOOP_HANDLERS,
  outputStream,
  ModelMetrics,
  ModelUpdatePayload,
  numberParameter,
} from './loop-contracts';
import { PromotionPolicy, promotionPolicyOf } from './promotion-policy';
import { ExampleRow, trainNextModel } from './train-model';

const DEFAULT_TRAINING_LEASE_SECONDS = 120;

/** A dataset as stored: where, how many rows, which checksum. */
export interface StoredDataset {
  readonly bucket: string;
  readonly key: string;
  readonly rowCount: number;
  /** Hex SHA-256 of the object's bytes. */
  readonly checksum: string;
  readonly sizeBytes: number;
  readonly schema: readonly DatasetColumn[];
  readonly metadata: Readonly<Record<string, string>>;
}

export interface NewModelVersion {
  readonly version: number;
  readonly epoch: number;
  readonly artifact: { readonly bucket: string; readonly key: string; readonly checksum: string };
  readonly dataset: StoredDataset;
  readonly metrics: ModelMetrics;
  readonly training: Record<string, unknown>;
  /** Trained at the end of a history epoch (see historyEpochs): it becomes the champion at once. */
  readonly onHistory?: boolean;
}

/**
 * The outcome of asking to train an epoch: `claimed` for exactly one caller while the epoch is open
 * (or its trainer's claim is older than the lease), `busy` while another trainer's claim is fresh,
 * `done` once the epoch is closed (or does not exist).
 */
export type TrainingClaim = 'claimed' | 'busy' | 'done';

/** train's bookkeeping in Postgres: the examples, who trains an epoch, the model versions. */
export interface TrainingLedger {
  /** Stores the example once per (epoch, event id); returns how many the epoch holds now. */
  addExample(pipeline: string, example: ExamplePayload): Promise<number>;
  /** See TrainingClaim; a claim older than `leaseSeconds` is taken to be a dead trainer's. */
  claimTraining(pipeline: string, epoch: number, leaseSeconds: number): Promise<TrainingClaim>;
  releaseTraining(pipeline: string, epoch: number): Promise<void>;
  /**
   * Every example tagged up to `epoch`; with `labelsKnownBy`, only those whose label was known by then, except
   * the ones tagged up to `historyThrough` (the labelled history's), which all count; with `fromEpoch`, only
   * those tagged from it on.
   */
  examplesThrough(
    pipeline: string,
    epoch: number,
    labelsKnownBy?: number,
    historyThrough?: number,
    fromEpoch?: number,
  ): Promise<ExampleRow[]>;
  /** The end of `epoch` in event time (its latest transaction); null before any. */
  epochCutoff(pipeline: string, epoch: number): Promise<number | null>;
  /**
   * Records the version (the champion if it is the first, else the challenger), closes `epoch` and opens the
   * next one, served by the champion.
   */
  recordModelVersion(pipeline: string, version: NewModelVersion): Promise<void>;
}

/** Champion and challenger: promotes the challenger when it beats the champion under the pipeline's policy. */
export interface ChallengerPromotion {
  autoPromote(pipeline: string, policy: PromotionPolicy): Promise<{ promoted: boolean; reason: string }>;
}

/** Model artifacts (models bucket) and training datasets (datasets bucket, Parquet). */
export interface LoopArtifacts {
  writeModel(pipeline: string, version: number, artifact: string): Promise<{ bucket: string; key: string }>;
  writeDataset(
    pipeline: string,
    epoch: number,
    columns: readonly DatasetColumn[],
    rows: readonly DatasetRow[],
    card?: DatasetCard,
  ): Promise<StoredDataset>;
}

/**
 * train (Shared): keeps each example; when epoch N+1 holds `minExamples` of them, one worker claims
 * epoch N, trains model version N on every example so far (outside the held-out split), evaluates it
 * on epoch N+1's held-out examples, writes the dataset and artifact to S3, records the version and
 * announces it on model-updates. Parameters: minExamples (500), heldOutFraction (0.2), seed,
 * trainingLeaseSeconds (120: after it, a trainer's claim may be taken over by another worker), labelCutoff
 * (`epoch-end`, the default: version N trains only on labels known by the end of epoch N in event time, the
 * later ones count from the next version on; `none`: every label joined so far), historyEpochs (0: epochs
 * 1..historyEpochs stand for the labelled history a team starts its loop with, their labels matured, so every
 * version trains on all of them whatever the cut-off, and a version trained at the end of one becomes the
 * champion at once: the last is the model trained on the whole history), trainingWindowEpochs (0, the default:
 * every epoch so far; W: version N trains only on the examples of epochs N-W+1..N, so a world that changed is
 * not outvoted by its own past), promotion
 * (PromotionPolicy: every `checkEvery` examples, and before training, the challenger is compared with the
 * champion on the matured events both scored, and promoted if the policy is `auto` and it wins). An example
 * that arrives while another worker trains its epoch fails (retriable) until training ends.
 */
export class TrainHandler implements StageHandler<ExamplePayload, ModelUpdatePayload> {
  readonly name = LOOP_HANDLERS.train;

  constructor(
    private readonly ledger: TrainingLedger,
    private readonly artifacts: LoopArtifacts,
    private readonly promotion: ChallengerPromotion,
  ) {}

  async handle(
    event: StageEvent<ExamplePayload>,
    context: StageContext,
  ): Promise<StageOutput<ModelUpdatePayload>[]> {
    const example = checkExample(event.payload);
    const { pipeline, parameters } = context;
    const count = await this.ledger.addExample(pipeline, example);
    const policy = promotionPolicyOf(parameters);
    // An example is a matured event: the challenger may have just earned promotion.
    if (count % policy.checkEvery === 0) await this.promotion.autoPromote(pipeline, policy);
    if (count < integerParameter(parameters, 'minExamples', 500)) return [];
    const epoch = example.epoch - 1;
    if (epoch < 1) return [];
    const lease = integerParameter(parameters, 'trainingLeaseSeconds', DEFAULT_TRAINING_LEASE_SECONDS);
    const claim = await this.ledger.claimTraining(pipeline, epoch, lease);
    if (claim === 'done') return [];
    if (claim === 'busy')
      // Not acked while another worker trains the epoch: if that worker dies, the examples it and this
      // one held come back, and whichever finds the claim stale trains the epoch, so it cannot stall.
      throw new HandlerError('EPOCH_TRAINING_IN_PROGRESS', `epoch ${epoch} is being trained elsewhere`);
    try {
      // Judged on everything matured so far before the version trained now supersedes it.
      await this.promotion.autoPromote(pipeline, policy);
      const update = await this.train(pipeline, epoch, parameters);
      if (!update) {
        await this.ledger.releaseTraining(pipeline, epoch);
        return [];
      }
      return [
        {
          stream: outputStream(context.parameters, 'model-updates'),
          key: pipeline,
          part: `v${update.version}`,
          payload: update,
        },
      ];
    } catch (error) {
      await this.ledger.releaseTraining(pipeline, epoch);
      throw error;
    }
  }

  private async train(
    pipeline: string,
    epoch: number,
    parameters: Readonly<Record<string, unknown>>,
  ): Promise<ModelUpdatePayload | undefined> {
    // Point in time for labels too: version N learns only the outcomes known by the end of epoch N.
    const cutoff =
      labelCutoffOf(parameters) === 'none' ? null : await this.ledger.epochCutoff(pipeline, epoch);
    const historyEpochs = integerParameter(parameters, 'historyEpochs', 0);
    const history = Math.min(epoch, historyEpochs);
    const window = integerParameter(parameters, 'trainingWindowEpochs', 0);
    // History's labels had matured before the loop started: no cut-off holds them back (examples are tagged
    // with the epoch after their prediction's, so epochs N-W+1..N are tags N-W+2..N+1).
    const examples = await this.ledger.examplesThrough(
      pipeline,
      epoch + 1,
      cutoff ?? undefined,
      history > 0 ? history + 1 : undefined,
      window > 0 ? epoch - window + 2 : undefined,
    );
    const seed = typeof parameters.seed === 'string' ? parameters.seed : 'gyre';
    const run = trainNextModel(examples, {
      epoch,
      seed,
      heldOutFraction: numberParameter(parameters, 'heldOutFraction', 0.2),
    });
    if (!run) return undefined;
    const version = epoch;
    const dataset = await this.artifacts.writeDataset(pipeline, epoch, run.columns, run.rows, run.card);
    const stored = await this.artifacts.writeModel(pipeline, version, run.artifact);
    const checksum = (JSON.parse(run.artifact) as { checksum: string }).checksum;
    await this.ledger.recordModelVersion(pipeline, {
      version,
      epoch,
      artifact: { ...stored, checksum },
      dataset,
      metrics: run.metrics,
      training: {
        ...run.model.training,
        datasetChecksum: dataset.checksum,
        labelsKnownBy: cutoff,
        historyEpochs: history,
        trainingWindowEpochs: window,
      },
      onHistory: epoch <= historyEpochs,
    });
    return { version, epoch, bucket: stored.bucket, key: stored.key, checksum, metrics: run.metrics };
  }
}

function labelCutoffOf(parameters: Readonly<Record<string, unknown>>): 'epoch-end' | 'none' {
  const value = parameters.labelCutoff ?? 'epoch-end';
  if (value === 'epoch-end' || value === 'none') return value;
  // Retriable: the pipeline's definition is wrong, not the event; it waits for a corrected one.
  throw new HandlerError('INVALID_STAGE_PARAMETERS', 'labelCutoff must be "epoch-end" or "none"', {
    retriable: true,
  });
}

function checkExample(payload: unknown): ExamplePayload {
  const value = payload as Partial<ExamplePayload> | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.eventId !== 'string' ||
    !Number.isInteger(value.epoch) ||
    !(value.label === 0 || value.label === 1) ||
    typeof value.score !== 'number' ||
    !Array.isArray(value.values)
  )
    throw new HandlerError('INVALID_EXAMPLE', 'not a training example', { retriable: false });
  return value as ExamplePayload;
}
