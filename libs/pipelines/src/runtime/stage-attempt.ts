import type { Message } from '@gyre/pulsar';
import { PipelineError } from '../errors';
import type { StageEvent } from '../handler/stage-handler';
import { decodeEvent, describeFailure, EncodedOutput } from './message-codec';
import { executeStage, StageExecution } from './stage-execution';

export interface StageAttempt extends StageExecution {
  /** Publishes one event's outputs; resolves once the broker has receipted every one of them. */
  publish: (outputs: EncodedOutput[]) => Promise<unknown>;
  /** Sends what `publish` handed to batching producers now; called once per delivery, after the last publish. */
  flush?: () => void;
}

/**
 * One live handling of a delivery: decode every message, execute the stage, publish the outputs of the
 * events that succeeded. Resolves with one entry per message: undefined when its outputs are all
 * receipted (it may be acked), else the failure. Never rejects.
 */
export async function attemptBatch(messages: readonly Message[], attempt: StageAttempt): Promise<unknown[]> {
  const failures: unknown[] = new Array(messages.length).fill(undefined);
  const events: { index: number; event: StageEvent }[] = [];
  messages.forEach((message, index) => {
    try {
      events.push({ index, event: decodeEvent(message) });
    } catch (error) {
      failures[index] = error;
    }
  });
  const results = await executeStage(
    events.map(({ event }) => event),
    attempt,
  );
  // Every receipt of the delivery before any ack: it is persisted as a whole or retried per event.
  const publishing = events.map(async ({ index }, position) => {
    const result = results[position];
    if (result instanceof Error) {
      failures[index] = result;
      return;
    }
    try {
      await attempt.publish(result);
    } catch (error) {
      failures[index] = new PipelineError(
        'PUBLISH_FAILED',
        `publishing the outputs failed: ${describeFailure(error).text}`,
        { retriable: true, cause: error },
      );
    }
  });
  // Every publish above was handed to its producer synchronously: the delivery's outputs leave together.
  attempt.flush?.();
  await Promise.all(publishing);
  return failures;
}
