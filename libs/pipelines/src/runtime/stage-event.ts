import { EVENT_PROPERTIES as P } from '@gyre/streams';
import { PipelineError } from '../errors';
import type { StageEvent } from '../handler/stage-handler';

/** An event as read from a stream, live or replayed: what a handler's StageEvent is made of. */
export interface EventSource {
  /** The payload bytes; undefined for a null value. */
  readonly data: Buffer | undefined;
  readonly properties: Record<string, string>;
  readonly key: string | undefined;
  /** The id the event goes by when it carries no `gyre-event-id` (its position in the stream). */
  readonly fallbackId: string;
  /** The producer's event time (ms); 0 or undefined when it set none. */
  readonly eventTimestamp: number | undefined;
  readonly publishTimestamp: number;
}

/** The event a handler sees; a payload that is not JSON is refused as a failure retrying cannot fix. */
export function toStageEvent(source: EventSource): StageEvent {
  let payload: unknown = null;
  if (source.data !== undefined) {
    try {
      payload = JSON.parse(source.data.toString('utf8'));
    } catch (error) {
      throw new PipelineError('MALFORMED_PAYLOAD', 'the event payload is not JSON', { cause: error });
    }
  }
  const { properties } = source;
  return {
    // An empty id or epoch is no id or epoch: `||`, not `??`.
    id: properties[P.eventId] || source.fallbackId,
    key: source.key || undefined,
    epoch: properties[P.epoch] || undefined,
    payload,
    eventTime: source.eventTimestamp || source.publishTimestamp,
    properties,
  };
}
