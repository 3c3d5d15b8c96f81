import { RISK_PRIOR, Scorer } from '@gyre/ml';
import { HandlerError } from '../errors';
import type { StageContext, StageEvent, StageHandler, StageOutput } from '../handler/stage-handler';
import { FeaturesPayload, LOOP_HANDLERS, outputStream, PredictionPayload } from './loop-contracts';

/** The model version infer should use now; it changes when train announces a new one. */
export interface ServingModelSource {
  /** undefined until the pipeline's first model version exists. */
  current(pipeline: string): Promise<{ version: number; scorer: Scorer } | undefined>;
}

/**
 * infer (Shared): scores an event's features with the pipeline's current model version and emits
 * the prediction tagged with that version and the event's epoch. Before the first model exists it
 * predicts the prior fraud rate, so the first epoch's outputs still flow into training.
 */
export class InferHandler implements StageHandler<FeaturesPayload, PredictionPayload> {
  readonly name = LOOP_HANDLERS.infer;

  constructor(private readonly models: ServingModelSource) {}

  async handle(
    event: StageEvent<FeaturesPayload>,
    context: StageContext,
  ): Promise<StageOutput<PredictionPayload>[]> {
    const features = checkFeatures(event.payload);
    const serving = await this.models.current(context.pipeline);
    const score = serving
      ? (await serving.scorer.score([features.values], { signal: context.signal }))[0]
      : RISK_PRIOR;
    return [
      {
        stream: outputStream(context.parameters, 'predictions'),
        epoch: String(features.epoch),
        payload: {
          eventId: features.eventId,
          cardId: features.cardId,
          epoch: features.epoch,
          modelVersion: serving?.version ?? null,
          score,
          values: features.values,
        },
      },
    ];
  }
}

function checkFeatures(payload: unknown): FeaturesPayload {
  const value = payload as Partial<FeaturesPayload> | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.eventId !== 'string' ||
    typeof value.cardId !== 'string' ||
    !Number.isInteger(value.epoch) ||
    !Array.isArray(value.values) ||
    !value.values.every((x) => Number.isFinite(x))
  )
    throw new HandlerError('INVALID_FEATURES', 'not a features event', { retriable: false });
  return value as FeaturesPayload;
}
