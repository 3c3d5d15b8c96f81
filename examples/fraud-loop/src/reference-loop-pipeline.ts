import type { PromotionPolicy } from './promotion-policy';
import { LOOP_HANDLERS } from './loop-contracts';

/** The streams of one reference loop. */
export interface ReferenceLoopStreams {
  transactions: string;
  labels: string;
  features: string;
  predictions: string;
  examples: string;
  modelUpdates: string;
}

export interface ReferenceLoopSettings {
  /** Examples an epoch needs before its model trains. */
  minExamples: number;
  /** Seed of the held-out split (training itself is deterministic given its rows). */
  seed: string;
  heldOutFraction?: number;
  concurrency?: number;
  /** Feature events infer scores in one model call (default 32). */
  inferBatchSize?: number;
  /** Transactions prepare records in one Postgres transaction, per-card order kept (default 64). */
  prepareBatchSize?: number;
  /**
   * How far (ms) a card's transaction may come behind its latest and still get in-order features
   * (default 5,000: covers requests in flight together at 2,000 events/s).
   */
  prepareAllowedLatenessMs?: number;
  /**
   * prepare's and infer's delivery (default at-least-once): exactly-once publishes each feature and
   * prediction once even across a worker crash, at a throughput cost (docs/benchmarks.md).
   */
  delivery?: 'at-least-once' | 'exactly-once';
  /** With exactly-once: how soon the inputs of a worker that died mid-handling come back (default 60 s). */
  transactionTimeoutMs?: number;
  /** How long a trainer's claim on an epoch holds before another worker may take it over (120 s). */
  trainingLeaseSeconds?: number;
  /** When a challenger replaces the champion (default: auto, on log loss, margin 0, 200 matured events). */
  promotion?: Partial<PromotionPolicy>;
  /** Which labels a version trains on (default epoch-end: those known by the end of its epoch, in event time). */
  labelCutoff?: 'epoch-end' | 'none';
  /**
   * Epochs whose labels count as matured history (default 0): every version, the first included, trains on all
   * of their labels whatever the cut-off, and a version trained at the end of a history epoch becomes the champion
   * at once (no shadow period): the model a team deploys when it starts its loop.
   */
  historyEpochs?: number;
  /** How many of the latest epochs a version trains on (default 0: all of them). */
  trainingWindowEpochs?: number;
}

export const DEFAULT_PREPARE_ALLOWED_LATENESS_MS = 5_000;

/** Default stream names, with a prefix (the demo gives each run its own). */
export function referenceLoopStreams(prefix: string): ReferenceLoopStreams {
  return {
    transactions: `${prefix}transactions`,
    labels: `${prefix}labels`,
    features: `${prefix}features`,
    predictions: `${prefix}predictions`,
    examples: `${prefix}examples`,
    modelUpdates: `${prefix}model-updates`,
  };
}

/**
 * The fraud loop as a pipeline definition (for PipelineService.save): prepare (Key_Shared by card, batched),
 * infer, feedback (one stage per input: predictions and labels) and train. New subscriptions start
 * at the earliest event, so nothing posted before the workers subscribed is skipped.
 */
export function referenceLoopDefinition(
  streams: ReferenceLoopStreams,
  settings: ReferenceLoopSettings,
): { stages: Record<string, unknown>[] } {
  const concurrency = settings.concurrency ?? 8;
  const delivery =
    settings.delivery === 'exactly-once'
      ? {
          delivery: 'exactly-once',
          ...(settings.transactionTimeoutMs === undefined
            ? {}
            : { transactionTimeoutMs: settings.transactionTimeoutMs }),
        }
      : {};
  const retry = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5000, multiplier: 2 };
  const trainingLeaseSeconds = settings.trainingLeaseSeconds ?? 120;
  // A redelivered example waits out a dead trainer's lease (see TrainHandler): its retries must outlast it.
  const trainRetry = {
    maxAttempts: 12 + Math.ceil(trainingLeaseSeconds / 10),
    initialBackoffMs: 500,
    maxBackoffMs: 10_000,
    multiplier: 2,
  };
  const stage = (
    name: string,
    input: string,
    subscriptionType: 'Shared' | 'Key_Shared',
    handler: string,
    output: string,
    parameters: Record<string, unknown> = {},
    retryPolicy = retry,
  ) => ({
    name,
    input: { stream: input, subscription: `loop.${name}`, subscriptionType, initialPosition: 'Earliest' },
    handler,
    outputs: [output],
    concurrency,
    retry: retryPolicy,
    parameters: { output, ...parameters },
  });
  return {
    stages: [
      {
        ...stage('prepare', streams.transactions, 'Key_Shared', LOOP_HANDLERS.prepare, streams.features),
        batchSize: settings.prepareBatchSize ?? 64,
        allowedLatenessMs: settings.prepareAllowedLatenessMs ?? DEFAULT_PREPARE_ALLOWED_LATENESS_MS,
        ...delivery,
      },
      {
        ...stage('infer', streams.features, 'Shared', LOOP_HANDLERS.infer, streams.predictions),
        batchSize: settings.inferBatchSize ?? 32,
        ...delivery,
      },
      stage('feedback-predictions', streams.predictions, 'Shared', LOOP_HANDLERS.feedback, streams.examples),
      stage('feedback-labels', streams.labels, 'Shared', LOOP_HANDLERS.feedback, streams.examples),
      stage(
        'train',
        streams.examples,
        'Shared',
        LOOP_HANDLERS.train,
        streams.modelUpdates,
        {
          minExamples: settings.minExamples,
          seed: settings.seed,
          heldOutFraction: settings.heldOutFraction ?? 0.2,
          trainingLeaseSeconds,
          ...(settings.promotion ? { promotion: settings.promotion } : {}),
          ...(settings.labelCutoff ? { labelCutoff: settings.labelCutoff } : {}),
          ...(settings.historyEpochs ? { historyEpochs: settings.historyEpochs } : {}),
          ...(settings.trainingWindowEpochs ? { trainingWindowEpochs: settings.trainingWindowEpochs } : {}),
        },
        trainRetry,
      ),
    ],
  };
}
