import { PROPERTY_ORIGIN_MESSAGE_ID, PROPERTY_REAL_TOPIC } from '@gyre/pulsar';
import type { Message, ProducerMessage } from '@gyre/pulsar';
import { PipelineError } from '../errors';
import type { StageEvent, StageOutput } from '../handler/stage-handler';
import { EVENT_PROPERTIES as P } from '@gyre/streams';
import { deriveOutputId } from './output-id';
import { toStageEvent } from './stage-event';

const MAX_REASON_LENGTH = 1000;

/** Turns a received message into the event a handler sees; a payload that is not JSON cannot be retried. */
export function decodeEvent(message: Message): StageEvent {
  const properties = message.getProperties();
  return toStageEvent({
    data: message.isNullValue() ? undefined : message.getData(),
    properties,
    key: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
    // Only read when the event carries no id of its own; the string costs more than the rest of the decode.
    fallbackId: properties[P.eventId] ? '' : message.getMessageId().toJavaString(),
    eventTimestamp: message.getEventTimestamp(),
    publishTimestamp: message.getPublishTimestamp(),
  });
}

export interface EncodedOutput {
  stream: string;
  message: ProducerMessage;
  /** What the handler returned for it. */
  output: StageOutput;
}

/** Gives each output its deterministic id and Gyre's properties; refuses outputs to undeclared streams. */
export function encodeOutputs(
  input: StageEvent,
  outputs: readonly StageOutput[],
  stage: { pipeline: string; name: string; outputs: readonly string[] },
): EncodedOutput[] {
  const positions = new Map<string, number>();
  return outputs.map((output) => {
    if (!stage.outputs.includes(output.stream))
      throw new PipelineError(
        'UNDECLARED_OUTPUT',
        `stage "${stage.name}" may not publish to "${output.stream}" (declared: ${stage.outputs.join(', ') || 'none'})`,
      );
    const position = positions.get(output.stream) ?? 0;
    positions.set(output.stream, position + 1);
    const id = deriveOutputId({
      inputId: input.id,
      pipeline: stage.pipeline,
      stage: stage.name,
      epoch: input.epoch ?? '',
      stream: output.stream,
      part: output.part ?? String(position),
    });
    const epoch = output.epoch ?? input.epoch;
    return {
      stream: output.stream,
      output,
      message: {
        data: Buffer.from(JSON.stringify(output.payload ?? null), 'utf8'),
        partitionKey: output.key ?? input.key,
        eventTimestamp: input.eventTime,
        properties: {
          ...output.properties,
          [P.eventId]: id,
          [P.parentId]: input.id,
          [P.stage]: `${stage.pipeline}/${stage.name}`,
          ...(epoch === undefined ? {} : { [P.epoch]: epoch }),
        },
      },
    };
  });
}

/** The dead-letter copy: the original bytes, key and properties, plus why and after how many attempts. */
export function encodeDeadLetter(
  message: Message,
  failure: { error: unknown; attempts: number; pipeline: string; stage: string },
  originProperties: { realTopic: string; originMessageId: string },
): ProducerMessage {
  const { code, text } = describeFailure(failure.error);
  return {
    data: message.getData(),
    partitionKey: message.hasPartitionKey() ? message.getPartitionKey() : undefined,
    eventTimestamp: message.getEventTimestamp() || undefined,
    properties: {
      ...message.getProperties(),
      [PROPERTY_REAL_TOPIC]: originProperties.realTopic,
      [PROPERTY_ORIGIN_MESSAGE_ID]: originProperties.originMessageId,
      [P.stage]: `${failure.pipeline}/${failure.stage}`,
      [P.failureCode]: code,
      [P.failureReason]: text.slice(0, MAX_REASON_LENGTH),
      [P.attempts]: String(failure.attempts),
    },
  };
}

/** A failure as code and one line; never the payload (only what the error itself says). */
export function describeFailure(error: unknown): { code: string; text: string } {
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : error instanceof Error
        ? error.name
        : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  return { code, text: `${code}: ${message}`.replace(/\s+/g, ' ') };
}
