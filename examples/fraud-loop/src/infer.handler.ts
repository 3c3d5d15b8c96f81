import { OpenInferenceScorer, RISK_PRIOR, Scorer } from '@gyre/ml';
import { HandlerError } from '@gyre/pipelines';
import type {
  BatchItemResult,
  BatchStageHandler,
  StageContext,
  StageEvent,
  StageHandler,
  StageOutput,
} from '@gyre/pipelines';
import { FeaturesPayload, LOOP_HANDLERS, outputStream, PredictionPayload } from './loop-contracts';

/** The champion that serves, and the challenger that scores the same events in shadow (if any). */
export interface ServingModel {
  readonly version: number;
  readonly scorer: Scorer;
  readonly challenger?: { readonly version: number; readonly scorer: Scorer };
}

/** The model versions infer should use now; they change on training, promotion and rollback. */
export interface ServingModelSource {
  /** undefined until the pipeline's first model version exists. */
  current(pipeline: string): Promise<ServingModel | undefined>;
}

/** What scores the features: Gyre's own model versions, or an external Open Inference Protocol server. */
interface ChosenScorer {
  scorer?: Scorer;
  version: number | null;
  challenger?: { version: number; scorer: Scorer };
}

/**
 * infer (Shared, batches welcome): scores the features of a batch of events in one model call and
 * emits each prediction tagged with the model that made it and the event's epoch.
 *
 * Parameters: `scorer` is `built-in` (default: the pipeline's champion model version trained by Gyre, with its
 * challenger's score recorded beside it in `shadow`, not served; before the first version exists it predicts
 * the prior fraud rate, so the first epoch's outputs still flow into training) or `kserve`, with `kserve: { baseUrl, model, version?, timeoutMs?, inputName?,
 * outputName? }` naming a model server that speaks the Open Inference Protocol (KServe v2 REST).
 */
export class InferHandler
  implements
    BatchStageHandler<FeaturesPayload, PredictionPayload>,
    StageHandler<FeaturesPayload, PredictionPayload>
{
  readonly name = LOOP_HANDLERS.infer;
  private readonly external = new Map<string, OpenInferenceScorer>();

  constructor(private readonly models: ServingModelSource) {}

  async handle(
    event: StageEvent<FeaturesPayload>,
    context: StageContext,
  ): Promise<StageOutput<PredictionPayload>[]> {
    const [result] = await this.handleBatch([event], context);
    if (result instanceof Error) throw result;
    return [...result];
  }

  async handleBatch(
    events: readonly StageEvent<FeaturesPayload>[],
    context: StageContext,
  ): Promise<BatchItemResult<PredictionPayload>[]> {
    const checked = events.map((event) => checkFeatures(event.payload));
    const valid = checked.filter((item): item is FeaturesPayload => !(item instanceof Error));
    const chosen = await this.choose(context);
    // One call for the whole batch; its failure (a model server down) fails every event of it.
    const scores = chosen.scorer
      ? await chosen.scorer.score(
          valid.map((features) => features.values),
          { signal: context.signal },
        )
      : valid.map(() => RISK_PRIOR);
    const shadowScores = chosen.challenger
      ? await chosen.challenger.scorer.score(
          valid.map((features) => features.values),
          { signal: context.signal },
        )
      : undefined;
    const model = chosen.scorer?.modelVersion ?? 'prior';
    let next = 0;
    return checked.map((features) => {
      if (features instanceof Error) return features;
      const index = next++;
      const score = scores[index];
      const shadow = chosen.challenger &&
        shadowScores && {
          modelVersion: chosen.challenger.version,
          model: chosen.challenger.scorer.modelVersion,
          score: shadowScores[index],
        };
      return [
        {
          stream: outputStream(context.parameters, 'predictions'),
          epoch: String(features.epoch),
          payload: {
            eventId: features.eventId,
            cardId: features.cardId,
            epoch: features.epoch,
            modelVersion: chosen.version,
            model,
            ...(typeof features.featureDefinition === 'string'
              ? { featureDefinition: features.featureDefinition }
              : {}),
            score,
            ...(shadow ? { shadow } : {}),
            values: features.values,
            ...(typeof features.lateByMs === 'number' ? { lateByMs: features.lateByMs } : {}),
          },
        },
      ];
    });
  }

  private async choose(context: StageContext): Promise<ChosenScorer> {
    const kind = context.parameters.scorer ?? 'built-in';
    if (kind === 'built-in') {
      const serving = await this.models.current(context.pipeline);
      return serving
        ? { scorer: serving.scorer, version: serving.version, challenger: serving.challenger }
        : { version: null };
    }
    if (kind === 'kserve') return { scorer: this.externalScorer(context.parameters.kserve), version: null };
    throw invalidParameters(`scorer must be "built-in" or "kserve", not ${JSON.stringify(kind)}`);
  }

  /** One client per distinct server setting, kept across batches. */
  private externalScorer(raw: unknown): OpenInferenceScorer {
    const settings = raw as Record<string, unknown> | undefined;
    if (
      typeof settings !== 'object' ||
      settings === null ||
      typeof settings.baseUrl !== 'string' ||
      !/^https?:\/\//.test(settings.baseUrl) ||
      typeof settings.model !== 'string' ||
      settings.model === ''
    )
      throw invalidParameters('scorer "kserve" needs parameters.kserve { baseUrl: "http(s)://...", model }');
    const key = JSON.stringify(settings);
    let scorer = this.external.get(key);
    if (!scorer) {
      scorer = new OpenInferenceScorer({
        baseUrl: settings.baseUrl,
        model: settings.model,
        version: optionalString(settings.version),
        timeoutMs: typeof settings.timeoutMs === 'number' ? settings.timeoutMs : undefined,
        inputName: optionalString(settings.inputName),
        outputName: optionalString(settings.outputName),
      });
      this.external.set(key, scorer);
    }
    return scorer;
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Retriable: the stage's definition is wrong, not the event; it waits for a corrected pipeline. */
function invalidParameters(message: string): HandlerError {
  return new HandlerError('INVALID_STAGE_PARAMETERS', message, { retriable: true });
}

function checkFeatures(payload: unknown): FeaturesPayload | HandlerError {
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
    return new HandlerError('INVALID_FEATURES', 'not a features event', { retriable: false });
  return value as FeaturesPayload;
}
