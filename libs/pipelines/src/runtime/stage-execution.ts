import { PipelineError } from '../errors';
import {
  AnyStageHandler,
  BatchItemResult,
  isBatchHandler,
  StageContext,
  StageEvent,
} from '../handler/stage-handler';
import { describeFailure, EncodedOutput, encodeOutputs } from './message-codec';

/** What running a stage's handler needs: the same for the live stage and for a replay through it. */
export interface StageExecution {
  handler: AnyStageHandler;
  context: StageContext;
  stage: { pipeline: string; name: string; outputs: readonly string[] };
  observeHandlerSeconds?: (seconds: number) => void;
}

/** One event's outcome: its outputs, with their deterministic ids and Gyre's properties, or why it failed. */
export type ExecutionResult = EncodedOutput[] | Error;

/**
 * Runs a stage's handler on a batch of events (handleBatch, or handle per event) and encodes each event's
 * outputs. Resolves with one result per event, in order; never rejects. Live and replay both call this,
 * so an event gets the same outputs, and output ids, whichever way it is handled.
 */
export async function executeStage(
  events: readonly StageEvent[],
  execution: StageExecution,
): Promise<ExecutionResult[]> {
  if (events.length === 0) return [];
  const results = await runHandler(events, execution);
  return events.map((event, index) => {
    const result = results[index];
    if (result instanceof Error) return result;
    try {
      return encodeOutputs(event, result, execution.stage);
    } catch (error) {
      return asError(error);
    }
  });
}

async function runHandler(
  events: readonly StageEvent[],
  { handler, context, observeHandlerSeconds }: StageExecution,
): Promise<BatchItemResult[]> {
  const started = performance.now();
  try {
    if (!isBatchHandler(handler))
      return await Promise.all(
        events.map((event) =>
          handler.handle(event, context).then(
            (outputs) => outputs,
            (error: unknown) => asError(error),
          ),
        ),
      );
    const results = await handler.handleBatch(events, context);
    if (!Array.isArray(results) || results.length !== events.length) {
      const failure = new PipelineError(
        'BATCH_RESULT_MISMATCH',
        `handler "${handler.name}" returned ${Array.isArray(results) ? results.length : 'no'} results for ${events.length} events`,
        { retriable: true },
      );
      return events.map(() => failure);
    }
    return results.map((result) =>
      result instanceof Error || Array.isArray(result) ? result : asError(result),
    );
  } catch (error) {
    const failure = asError(error);
    return events.map(() => failure);
  } finally {
    observeHandlerSeconds?.((performance.now() - started) / 1000);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(describeFailure(error).text);
}
