import { StreamsError } from '@gyre/streams';
import { envelopeEvents, EventsBody, eventsOf, requestHash } from './event-envelope';

const limits = { maxEventBytes: 64, maxEventsPerRequest: 3, maxPayloadDepth: 4 };

function json(text: string): EventsBody {
  return { kind: 'json', raw: Buffer.from(text), body: JSON.parse(text) };
}

function ndjson(text: string): EventsBody {
  return { kind: 'ndjson', raw: Buffer.from(text) };
}

/** Events as the HTTP edge hands them over: from a JSON array's bytes. */
function received(events: unknown[]) {
  return eventsOf(json(JSON.stringify(events)));
}

function payloadsOf(body: EventsBody): string[] {
  return eventsOf(body).map((event) => event.payload?.bytes.toString() ?? '(none)');
}

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
    expect(eventsOf(json('{"payload":1}')).map((event) => event.value)).toEqual([{ payload: 1 }]);
    expect(eventsOf(json('[{"payload":1},{"payload":2}]'))).toHaveLength(2);
    expect(eventsOf(ndjson('{"payload":1}\n\n{"payload":2}\r\n')).map((event) => event.value)).toEqual([
      { payload: 1 },
      { payload: 2 },
    ]);
  });

  it('keeps each payload as the bytes sent, in every framing', () => {
    const payload = '{ "id":9007199254740993, "f":1.0,"neg0":-0 ,"s":"\\"é\\u00e9"}';
    expect(payloadsOf(json(`{"payload":${payload}}`))).toEqual([payload]);
    expect(payloadsOf(json(`[ {"key":"k","payload": ${payload} } , 7, {"payload":1e2}]`))).toEqual([
      payload,
      '(none)',
      '1e2',
    ]);
    expect(payloadsOf(ndjson(`{"payload":${payload}}\n[1]\n{"payload":-0}`))).toEqual([
      payload,
      '(none)',
      '-0',
    ]);
  });

  it('names the event index and line of malformed NDJSON', () => {
    expect(refusal(() => eventsOf(ndjson('{"payload":1}\n{"payload":\n')))).toMatchObject({
      code: 'MALFORMED_EVENTS',
      problems: [{ pointer: '/events/1', detail: 'line 2 is not valid JSON' }],
    });
  });

  it('refuses a JSON body that is neither an event nor an array', () => {
    expect(refusal(() => eventsOf(json('"hello"'))).code).toBe('MALFORMED_EVENTS');
  });
});

describe(envelopeEvents.name, () => {
  it('refuses client properties under the prefix reserved for Gyre, naming the property', () => {
    const error = refusal(() =>
      envelopeEvents(received([{ payload: 1, properties: { 'gyre-epoch': '9' } }]), limits),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        pointer: '/events/0/properties/gyre-epoch',
        detail: expect.stringContaining('reserved'),
      }),
    ]);
  });

  it('keeps payload bytes, converts RFC 3339 event times to milliseconds and keeps keys, properties and ids', () => {
    const [event] = envelopeEvents(
      received([
        {
          payload: { a: 1 },
          key: 'u1',
          eventTime: '2026-01-02T03:04:05.006Z',
          properties: { p: 'v' },
          id: 'e1',
        },
      ]),
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
        received([
          { payload: 1 },
          { paylod: 1, key: '', eventTime: 'yesterday', properties: { n: 1 } },
          { payload: 1, id: 'x' },
        ]),
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
          received([
            { payload: 1, id: 'a' },
            { payload: 2, id: 'a' },
          ]),
          limits,
        ),
      ).problems,
    ).toEqual([{ pointer: '/events/1/id', detail: 'repeats the id of /events/0' }]);
  });

  it('refuses an oversized event, naming it, and too many events', () => {
    expect(
      refusal(() => envelopeEvents(received([{ payload: 1 }, { payload: 'x'.repeat(100) }]), limits)),
    ).toMatchObject({
      code: 'EVENT_TOO_LARGE',
      problems: [{ pointer: '/events/1/payload', detail: 'is 102 bytes; at most 64 are accepted per event' }],
    });
    expect(
      refusal(() => envelopeEvents(received([1, 2, 3, 4].map((payload) => ({ payload }))), limits)).code,
    ).toBe('REQUEST_TOO_LARGE');
    expect(refusal(() => envelopeEvents(received([]), limits)).code).toBe('MALFORMED_EVENTS');
  });

  it('refuses a payload nested deeper than the limit, naming it, before anything walks it', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const body = json(`[{"payload":[[[[1]]]]},{"payload":${deep}},{"payload":[[[[[1]]]]]}]`);
    expect(
      refusal(() => envelopeEvents(eventsOf(body), { ...limits, maxEventBytes: 100_000 })),
    ).toMatchObject({
      code: 'PAYLOAD_TOO_DEEP',
      problems: [
        { pointer: '/events/1/payload', detail: 'nests 10000 levels deep; at most 4 are accepted' },
        { pointer: '/events/2/payload', detail: 'nests 5 levels deep; at most 4 are accepted' },
      ],
    });
  });

  it('hashes the same events equally whatever their envelope order or framing, and other payload bytes differently', () => {
    const hashOf = (body: EventsBody) => requestHash(envelopeEvents(eventsOf(body), limits));
    const a = hashOf(json('{"payload":{"x":1,"y":2},"key":"k"}'));

    expect(hashOf(json('[{"key":"k","payload":{"x":1,"y":2}}]'))).toBe(a);
    expect(hashOf(ndjson('{"key":"k","payload":{"x":1,"y":2}}\n'))).toBe(a);
    expect(hashOf(json('{"payload":{"x":1.0,"y":2},"key":"k"}'))).not.toBe(a);
    expect(hashOf(json('{"payload":{"y":2,"x":1},"key":"k"}'))).not.toBe(a);
    expect(hashOf(json('{"payload":{"x":1,"y":2},"key":"j"}'))).not.toBe(a);
  });
});
