/**
 * Typed shapes for the three kinds of stage an ML loop has, on top of StageHandler and
 * BatchStageHandler. An ML team writes the domain function; the helper does the plumbing: the output
 * stream (parameter `output`, or the stage's only declared output), the key and epoch carried over from
 * the input, the length check of a batch. Register the result in the workers' HandlerRegistry by name.
 */
import { HandlerError, PipelineError } from '../errors';
import type {
  BatchItemResult,
  BatchStageHandler,
  StageContext,
  StageEvent,
  StageHandler,
  StageOutput,
} from './stage-handler';

/** prepare: one raw event in (Key_Shared by entity when it keeps per-entity state), its features out. */
export interface PrepareDefinition<Raw, Features> {
  readonly name: string;
  /** The event's features, or undefined to emit nothing. Must be idempotent by event id. */
  prepare(event: StageEvent<Raw>, context: StageContext): Promise<Features | undefined>;
}

/** infer: a batch of feature events in, one prediction each, in the same order (one model call). */
export interface InferDefinition<Features, Prediction> {
  readonly name: string;
  infer(events: readonly StageEvent<Features>[], context: StageContext): Promise<readonly Prediction[]>;
}

/** train: examples in; when an example completes a training set, the new model version out. */
export interface TrainDefinition<Example, ModelUpdate> {
  readonly name: string;
  /**
   * Records the example (idempotent by event id) and, when it completes a training set, trains and
   * returns the model update to announce; undefined otherwise. Throw to retry the example later.
   */
  train(event: StageEvent<Example>, context: StageContext): Promise<ModelUpdate | undefined>;
}

export function prepareHandler<Raw, Features>(
  definition: PrepareDefinition<Raw, Features>,
): StageHandler<Raw, Features> {
  return {
    name: definition.name,
    handle: async (event, context) => {
      const features = await definition.prepare(event, context);
      return features === undefined ? [] : [{ stream: outputOf(context), payload: features }];
    },
  };
}

export function inferHandler<Features, Prediction>(
  definition: InferDefinition<Features, Prediction>,
): BatchStageHandler<Features, Prediction> {
  return {
    name: definition.name,
    handleBatch: async (events, context): Promise<BatchItemResult<Prediction>[]> => {
      const predictions = await definition.infer(events, context);
      if (predictions.length !== events.length)
        throw new PipelineError(
          'BATCH_RESULT_MISMATCH',
          `infer "${definition.name}" returned ${predictions.length} predictions for ${events.length} events`,
          { retriable: true },
        );
      const stream = outputOf(context);
      return predictions.map((payload): StageOutput<Prediction>[] => [{ stream, payload }]);
    },
  };
}

export function trainHandler<Example, ModelUpdate>(
  definition: TrainDefinition<Example, ModelUpdate>,
): StageHandler<Example, ModelUpdate> {
  return {
    name: definition.name,
    handle: async (event, context) => {
      const update = await definition.train(event, context);
      return update === undefined ? [] : [{ stream: outputOf(context), payload: update }];
    },
  };
}

/** Parameter `output`, else the stage's only output; anything else is a definition error (retriable). */
export function outputOf(context: StageContext): string {
  const { output } = context.parameters;
  if (typeof output === 'string' && output !== '') return output;
  if (context.outputs?.length === 1) return context.outputs[0];
  throw new HandlerError(
    'INVALID_STAGE_PARAMETERS',
    `stage "${context.stage}" needs parameters.output to pick one of its outputs`,
  );
}
