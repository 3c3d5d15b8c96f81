import type { ProducerMessage } from '@gyre/pulsar';
import { EVENT_PROPERTIES } from '@gyre/streams';
import { EnvelopedEvent } from './event-envelope';

/** The Pulsar message for a validated event. */
export function messageOf(event: EnvelopedEvent): ProducerMessage {
  return {
    data: event.data,
    partitionKey: event.key,
    eventTimestamp: event.eventTime,
    // The client's id travels with the event, so stages derive their output ids from it.
    properties:
      event.id === undefined
        ? event.properties
        : { ...event.properties, [EVENT_PROPERTIES.eventId]: event.id },
  };
}
