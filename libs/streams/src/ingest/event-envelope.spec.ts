import { StreamsError } from '../errors';
import { envelopeEvents, eventsOf, requestHash } from './event-envelope';

const limits = { maxEventBytes: 64, maxEventsPerRequest: 3 };

function refusal(run: () => unknown): StreamsError {
  try {
    run();
  } catch (error) {
    return error as StreamsError;
  }
  throw new Error('expected a refusal');
}

describe(eventsOf.name, () => {
  it('reads one event object, a JSON array, and NDJSON with blank lines', () => {
    expect(eventsOf({ kind: 'json', body: { payload: 1 } })).toEqual([{ payload: 1 }]);
    expect(eventsOf({ kind: 'json', body: [{ payload: 1 }, { payload: 2 }] })).toHaveLength(2);
    expect(eventsOf({ kind: 'ndjson', text: '{"payload":1}\n\n{"payload":2}\n' })).toEqual([
      { payload: 1 },
      { payload: 2 },
    ]);
  });

  it('names the event index and line of malformed NDJSON', () => {
    expect(refusal(() => eventsOf({ kind: 'ndjson', text: '{"payload":1}\n{"payload":\n' }))).toMatchObject({
      code: 'MALFORMED_EVENTS',
      problems: [{ pointer: '/events/1', detail: 'line 2 is not valid JSON' }],
    });
  });

  it('refuses a JSON body that is neither an event nor an array', () => {
    expect(refusal(() => eventsOf({ kind: 'json', body: 'hello' })).code).toBe('MALFORMED_EVENTS');
  });
});

describe(envelopeEvents.name, () => {
  it('refuses client properties under the prefix reserved for Gyre, naming the property', () => {
    const error = refusal(() => envelopeEvents([{ payload: 1, properties: { 'gyre-epoch': '9' } }], limits));
    expect(error.problems).toEqual([
      expect.objectContaining({
        pointer: '/events/0/properties/gyre-epoch',
        detail: expect.stringContaining('reserved'),
      }),
    ]);
  });

  it('serializes payloads, converts RFC 3339 event times to milliseconds and keeps keys, properties and ids', () => {
    const [event] = envelopeEvents(
      [
        {
          payload: { a: 1 },
          key: 'u1',
          eventTime: '2026-01-02T03:04:05.006Z',
          properties: { p: 'v' },
          id: 'e1',
        },
      ],
      limits,
    );

    expect(event).toMatchObject({
      index: 0,
      key: 'u1',
      eventTime: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
      properties: { p: 'v' },
      id: 'e1',
    });
    expect(event.data.toString()).toBe('{"a":1}');
  });

  it('names every bad field of every event at once', () => {
    const error = refusal(() =>
      envelopeEvents(
        [
          { payload: 1 },
          { paylod: 1, key: '', eventTime: 'yesterday', properties: { n: 1 } },
          { payload: 1, id: 'x' },
        ],
        limits,
      ),
    );

    expect(error.code).toBe('INVALID_EVENTS');
    expect(error.problems.map((problem) => problem.pointer)).toEqual([
      '/events/1/paylod',
      '/events/1/payload',
      '/events/1/key',
      '/events/1/eventTime',
      '/events/1/properties',
    ]);
  });

  it('refuses two events with the same id in one request', () => {
    expect(
      refusal(() =>
        envelopeEvents(
          [
            { payload: 1, id: 'a' },
            { payload: 2, id: 'a' },
          ],
          limits,
        ),
      ).problems,
    ).toEqual([{ pointer: '/events/1/id', detail: 'repeats the id of /events/0' }]);
  });

  it('refuses an oversized event, naming it, and too many events', () => {
    expect(
      refusal(() => envelopeEvents([{ payload: 1 }, { payload: 'x'.repeat(100) }], limits)),
    ).toMatchObject({
      code: 'EVENT_TOO_LARGE',
      problems: [{ pointer: '/events/1/payload', detail: 'is 102 bytes; at most 64 are accepted per event' }],
    });
    expect(
      refusal(() =>
        envelopeEvents(
          [1, 2, 3, 4].map((payload) => ({ payload })),
          limits,
        ),
      ).code,
    ).toBe('REQUEST_TOO_LARGE');
    expect(refusal(() => envelopeEvents([], limits)).code).toBe('MALFORMED_EVENTS');
  });

  it('hashes the same events equally whatever their key order or framing, and different events differently', () => {
    const a = envelopeEvents([{ payload: { x: 1, y: 2 }, key: 'k' }], limits);
    const b = envelopeEvents([{ key: 'k', payload: { y: 2, x: 1 } }], limits);
    const c = envelopeEvents([{ payload: { x: 1, y: 3 }, key: 'k' }], limits);

    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).not.toBe(requestHash(c));
  });
});
