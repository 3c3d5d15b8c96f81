import { EVENT_PROPERTIES } from '@gyre/streams';
import { envelopeEvents, eventsOf } from './event-envelope';
import { messageOf } from './producer-message';

const limits = { maxEventBytes: 1024, maxEventsPerRequest: 10, maxPayloadDepth: 64 };

function received(events: unknown[]) {
  const text = JSON.stringify(events);
  return eventsOf({ kind: 'json', raw: Buffer.from(text), body: JSON.parse(text) });
}

describe(messageOf.name, () => {
  it('carries the client event id as the gyre-event-id property, beside the client properties', () => {
    const [event] = envelopeEvents(
      received([{ payload: { amount: 3 }, key: 'card-1', id: 'evt-1', properties: { source: 'pos' } }]),
      limits,
    );
    expect(messageOf(event)).toMatchObject({
      partitionKey: 'card-1',
      properties: { source: 'pos', [EVENT_PROPERTIES.eventId]: 'evt-1' },
    });
  });

  it('adds no property for an event without an id', () => {
    const [event] = envelopeEvents(received([{ payload: 1 }]), limits);
    expect(messageOf(event).properties).toBeUndefined();
  });
});
