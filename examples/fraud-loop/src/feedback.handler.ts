import { HandlerError } from '@gyre/pipelines';
import type { StageContext, StageEvent, StageHandler, StageOutput } from '@gyre/pipelines';
import {
  ExamplePayload,
  LabelPayload,
  LOOP_HANDLERS,
  outputStream,
  PredictionPayload,
} from './loop-contracts';

/** A prediction and a label joined by event id; either half may still be missing. */
export interface JoinRow {
  readonly prediction: PredictionPayload | null;
  readonly label: 0 | 1 | null;
}

/** Where the two halves meet. Each call stores its half (idempotently) and returns the row after it. */
export interface PredictionLabelJoin {
  recordPrediction(pipeline: string, prediction: PredictionPayload): Promise<JoinRow>;
  /** Also counts the label in its merchant's and category's rates, once per event id. */
  recordLabel(pipeline: string, outcome: LabelPayload, label: 0 | 1): Promise<JoinRow>;
}

/**
 * feedback: the same handler reads the predictions stream and the labels stream (two stages, one
 * per input). Whichever half completes the join emits the training example, tagged for the epoch
 * after the prediction's: the outputs of epoch N are the inputs of epoch N+1. A redelivery that
 * emits the example again is harmless: train keeps one example per (epoch, event id).
 */
export class FeedbackHandler implements StageHandler<PredictionPayload | LabelPayload, ExamplePayload> {
  readonly name = LOOP_HANDLERS.feedback;

  constructor(private readonly join: PredictionLabelJoin) {}

  async handle(
    event: StageEvent<PredictionPayload | LabelPayload>,
    context: StageContext,
  ): Promise<StageOutput<ExamplePayload>[]> {
    const payload = event.payload as Partial<PredictionPayload & LabelPayload> | null;
    let row: JoinRow;
    if (isLabel(payload)) {
      row = await this.join.recordLabel(context.pipeline, payload, payload.label === 'fraud' ? 1 : 0);
    } else if (isPrediction(payload)) {
      row = await this.join.recordPrediction(context.pipeline, payload);
    } else {
      throw new HandlerError('INVALID_FEEDBACK', 'neither a prediction nor a label', { retriable: false });
    }
    if (row.prediction === null || row.label === null) return [];
    const { prediction, label } = row;
    const epoch = prediction.epoch + 1;
    return [
      {
        stream: outputStream(context.parameters, 'examples'),
        key: prediction.eventId,
        epoch: String(epoch),
        payload: {
          eventId: prediction.eventId,
          epoch,
          values: prediction.values,
          label,
          score: prediction.score,
          modelVersion: prediction.modelVersion,
        },
      },
    ];
  }
}

function isLabel(value: Partial<PredictionPayload & LabelPayload> | null): value is LabelPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.eventId === 'string' &&
    (value.label === 'fraud' || value.label === 'legit') &&
    Number.isFinite(value.reportedAt) &&
    typeof value.merchantId === 'string' &&
    typeof value.merchantCategory === 'string'
  );
}

function isPrediction(value: Partial<PredictionPayload & LabelPayload> | null): value is PredictionPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.eventId === 'string' &&
    Number.isInteger(value.epoch) &&
    typeof value.score === 'number' &&
    Array.isArray(value.values)
  );
}
