import { EVENT_PROPERTIES } from '../events/event-properties';
import { envelopeEvents } from './event-envelope';
import { messageOf } from './producer-message';

const limits = { maxEventBytes: 1024, maxEventsPerRequest: 10 };

describe(messageOf.name, () => {
  it('carries the client event id as the gyre-event-id property, beside the client properties', () => {
    const [event] = envelopeEvents(
      [{ payload: { amount: 3 }, key: 'card-1', id: 'evt-1', properties: { source: 'pos' } }],
      limits,
    );
    expect(messageOf(event)).toMatchObject({
      partitionKey: 'card-1',
      properties: { source: 'pos', [EVENT_PROPERTIES.eventId]: 'evt-1' },
    });
  });

  it('adds no property for an event without an id', () => {
    const [event] = envelopeEvents([{ payload: 1 }], limits);
    expect(messageOf(event).properties).toBeUndefined();
  });
});
