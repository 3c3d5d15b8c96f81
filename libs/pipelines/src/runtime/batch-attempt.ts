import type { Message } from '@gyre/pulsar';
import { PipelineError } from '../errors';
import {
  AnyStageHandler,
  BatchItemResult,
  isBatchHandler,
  StageContext,
  StageEvent,
} from '../handler/stage-handler';
import { decodeEvent, describeFailure, EncodedOutput, encodeOutputs } from './message-codec';

export interface BatchAttempt {
  handler: AnyStageHandler;
  context: StageContext;
  stage: { pipeline: string; name: string; outputs: readonly string[] };
  /** Publishes one event's outputs; resolves once the broker has receipted every one of them. */
  publish: (outputs: EncodedOutput[]) => Promise<unknown>;
  observeHandlerSeconds: (seconds: number) => void;
}

/**
 * One handling of a batch: decode every message, run the handler (handleBatch, or handle per event),
 * publish the outputs of the events that succeeded. Resolves with one entry per message: undefined
 * when its outputs are all receipted (it may be acked), else the failure. Never rejects.
 */
export async function attemptBatch(messages: readonly Message[], attempt: BatchAttempt): Promise<unknown[]> {
  const failures: unknown[] = new Array(messages.length).fill(undefined);
  const events: { index: number; event: StageEvent }[] = [];
  messages.forEach((message, index) => {
    try {
      events.push({ index, event: decodeEvent(message) });
    } catch (error) {
      failures[index] = error;
    }
  });
  if (events.length === 0) return failures;

  const results = await runHandler(
    events.map(({ event }) => event),
    attempt,
  );
  const publishing = events.map(async ({ index, event }, position) => {
    const result = results[position];
    if (result instanceof Error) {
      failures[index] = result;
      return;
    }
    try {
      const encoded = encodeOutputs(event, result, attempt.stage);
      try {
        await attempt.publish(encoded);
      } catch (error) {
        failures[index] = new PipelineError(
          'PUBLISH_FAILED',
          `publishing the outputs failed: ${describeFailure(error).text}`,
          { retriable: true, cause: error },
        );
      }
    } catch (error) {
      failures[index] = error;
    }
  });
  // Every receipt of the batch before any ack: the batch is persisted as a whole or retried per event.
  await Promise.all(publishing);
  return failures;
}

async function runHandler(
  events: readonly StageEvent[],
  { handler, context, observeHandlerSeconds }: BatchAttempt,
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
    observeHandlerSeconds((performance.now() - started) / 1000);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(describeFailure(error).text);
}
