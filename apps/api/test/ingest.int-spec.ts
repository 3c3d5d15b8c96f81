import type { INestApplication } from '@nestjs/common';
import { MessageId } from '@gyre/pulsar';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { createTestStream, deleteTestStream, readStream, startApiWith, streamName } from './streams-helpers';

const LIMITS = { INGEST_MAX_EVENT_BYTES: '2048', INGEST_MAX_REQUEST_BYTES: '65536' };

describe('POST /v1/streams/{stream}/events on the real stack', () => {
  let app: INestApplication;
  let stream: string;
  let topic: string;
  let operator: TestKey;
  let producer: TestKey;
  const asProducer = () => clientAs(app, producer);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    asProducer()
      .post(`/v1/streams/${stream}/events`)
      .set(headers)
      .send(body as object);

  beforeAll(async () => {
    app = await startApiWith(LIMITS);
    operator = await issueKey(app, 'admin');
    producer = await issueKey(app, 'producer', { kind: 'prefix', prefix: 'it-stream-' });
  });
  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    ({ name: stream, topic } = await createTestStream(app, operator, { partitions: 2 }));
  });
  afterEach(async () => {
    await deleteTestStream(app, operator, stream);
  });

  it('publishes one event and answers 202 with its message id once the broker has it', async () => {
    const response = await post({
      payload: { user: 'u1', amount: 3 },
      key: 'u1',
      properties: { source: 'web' },
    }).expect(202);

    expect(response.body).toEqual({
      stream,
      events: [{ index: 0, messageId: expect.any(String), duplicate: false }],
    });
    const [message] = await readStream(topic);
    expect(message).toMatchObject({
      data: '{"user":"u1","amount":3}',
      key: 'u1',
      properties: { source: 'web' },
    });
    expect(MessageId.fromOpaqueString(response.body.events[0].messageId).entryKey()).toBe(
      message.id.entryKey(),
    );
  });

  it('publishes a JSON array and NDJSON, one message id per event', async () => {
    const array = await post([1, 2].map((amount) => ({ payload: { user: 'u', amount } }))).expect(202);
    const ndjson = await asProducer()
      .post(`/v1/streams/${stream}/events`)
      .set('content-type', 'application/x-ndjson')
      .send('{"payload":{"user":"u","amount":3}}\n{"payload":{"user":"u","amount":4}}\n')
      .expect(202);

    expect(array.body.events.map((event: { index: number }) => event.index)).toEqual([0, 1]);
    expect(ndjson.body.events).toHaveLength(2);
    expect((await readStream(topic)).map((message) => JSON.parse(message.data).amount).sort()).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('rejects a batch with one bad event, naming its index and field, and publishes nothing', async () => {
    const events = [0, 1, 2, 3].map((i) => ({ payload: { user: 'u', amount: i === 3 ? 'ten' : i } }));

    const response = await post(events).expect(422);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-events',
      status: 422,
      errors: [{ pointer: '/events/3/payload/amount', detail: 'must be number' }],
    });
    expect(await readStream(topic)).toEqual([]);
  });

  it('returns the original result for a retry with the same Idempotency-Key and publishes once', async () => {
    const body = [{ payload: { user: 'u', amount: 1 } }, { payload: { user: 'u', amount: 2 } }];

    const first = await post(body, { 'idempotency-key': 'order-1' }).expect(202);
    const retry = await post(body, { 'idempotency-key': 'order-1' }).expect(202);

    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await readStream(topic)).toHaveLength(2);
  });

  it('refuses the same Idempotency-Key with a different body with 409, publishing nothing more', async () => {
    await post({ payload: { user: 'u', amount: 1 } }, { 'idempotency-key': 'k' }).expect(202);

    const response = await post({ payload: { user: 'u', amount: 2 } }, { 'idempotency-key': 'k' }).expect(
      409,
    );

    expect(JSON.parse(response.text).type).toBe('https://gyre.dev/problems/idempotency-key-reused');
    expect(await readStream(topic)).toHaveLength(1);
  });

  describe('payload bytes', () => {
    // What ML events carry: ids beyond 2^53, exact decimals, and spellings JSON.parse would normalise.
    const EXACT = '{"id":9007199254740993,"big":12345678901234567890,"f":1.0,"e":1e2,"neg0":-0,"t":1.10}';
    const SPACED = '{ "t" : 1.10 ,\t"neg0": -0, "e":1E+2,  "id" :9007199254740993 }';
    const MULTILINE = '{\n  "t": 1.10,\r\n  "neg0": -0\n}';
    let raw: string;
    let rawTopic: string;
    const postRaw = (body: string, type: string, headers: Record<string, string> = {}) =>
      asProducer().post(`/v1/streams/${raw}/events`).set('content-type', type).set(headers).send(body);
    const stored = async () =>
      new Map((await readStream(rawTopic)).map((message) => [message.key, message.bytes.toString('hex')]));
    const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

    beforeEach(async () => {
      raw = streamName();
      const created = await clientAs(app, operator)
        .post('/admin/streams')
        .send({ name: raw, ownerTeam: 'ranking', partitions: 2, schema: { type: 'object' } })
        .expect(201);
      rawTopic = created.body.topic;
    });
    afterEach(async () => {
      await clientAs(app, operator).delete(`/admin/streams/${raw}?confirm=${raw}`);
    });

    it('stores the bytes sent for one event, a JSON array and NDJSON, read back by a plain Pulsar reader', async () => {
      await postRaw(`{ "key":"single", "payload" : ${EXACT} }`, 'application/json').expect(202);
      await postRaw(
        `[ {"payload":${MULTILINE},"key":"array-0"} ,\n {"key":"array-1","payload":${EXACT}} ]`,
        'application/json',
      ).expect(202);
      await postRaw(
        `{"key":"ndjson-0","payload":${EXACT}}\r\n\n{"payload": ${SPACED} ,"key":"ndjson-1"}\n`,
        'application/x-ndjson',
      ).expect(202);

      expect(await stored()).toEqual(
        new Map([
          ['single', hex(EXACT)],
          ['array-0', hex(MULTILINE)],
          ['array-1', hex(EXACT)],
          ['ndjson-0', hex(EXACT)],
          ['ndjson-1', hex(SPACED)],
        ]),
      );
    });

    it('stores multi-byte UTF-8 and escapes as sent, and validates the schema on the parsed value', async () => {
      const payload = '{"user":"Zoë \\u00e9 😀","amount":1.50}';
      await post({ payload: { user: 'u', amount: 1 } }).expect(202);
      const refused = await asProducer()
        .post(`/v1/streams/${stream}/events`)
        .set('content-type', 'application/json')
        .send('{"payload":{"user":"u","amount":"1.0"}}')
        .expect(422);
      await asProducer()
        .post(`/v1/streams/${stream}/events`)
        .set('content-type', 'application/json')
        .send(`{"key":"utf8","payload":${payload}}`)
        .expect(202);

      expect(JSON.parse(refused.text).errors).toEqual([
        expect.objectContaining({ pointer: '/events/0/payload/amount' }),
      ]);
      const messages = await readStream(topic);
      expect(messages.find((message) => message.key === 'utf8')?.bytes.toString('hex')).toBe(hex(payload));
    });

    it('deduplicates an exact retry under one Idempotency-Key and refuses 1.0 for 1 with 409', async () => {
      const body = (amount: string) => `[{"key":"k","payload":{"amount":${amount}}}]`;
      const first = await postRaw(body('1'), 'application/json', { 'idempotency-key': 'bytes-1' }).expect(
        202,
      );
      const retry = await postRaw(body('1'), 'application/json', { 'idempotency-key': 'bytes-1' }).expect(
        202,
      );
      const respelled = await postRaw(body('1.0'), 'application/json', {
        'idempotency-key': 'bytes-1',
      }).expect(409);

      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(JSON.parse(respelled.text).type).toBe('https://gyre.dev/problems/idempotency-key-reused');
      expect([...(await stored()).values()]).toEqual([hex('{"amount":1}')]);
    });
  });

  it('publishes concurrent duplicates once: the others replay the result or are told to retry', async () => {
    const body = { payload: { user: 'u', amount: 1 } };

    const responses = await Promise.all(
      Array.from({ length: 8 }, () => post(body, { 'idempotency-key': 'concurrent' })),
    );

    const accepted = responses.filter((response) => response.status === 202);
    const busy = responses.filter((response) => response.status === 409);
    expect(accepted.length + busy.length).toBe(8);
    expect(new Set(accepted.map((response) => response.body.events[0].messageId)).size).toBe(1);
    for (const response of busy) {
      expect(JSON.parse(response.text).type).toBe('https://gyre.dev/problems/idempotency-key-in-progress');
      expect(response.headers['retry-after']).toBeDefined();
    }
    expect(await readStream(topic)).toHaveLength(1);
  });

  it('does not publish an event again whose id was already published, returning its original message id', async () => {
    const first = await post({ id: 'e-1', payload: { user: 'u', amount: 1 } }).expect(202);

    const second = await post([
      { id: 'e-1', payload: { user: 'u', amount: 1 } },
      { id: 'e-2', payload: { user: 'u', amount: 2 } },
    ]).expect(202);

    expect(second.body.events[0]).toEqual({ ...first.body.events[0], duplicate: true });
    expect(second.body.events[1]).toMatchObject({ id: 'e-2', duplicate: false });
    expect(await readStream(topic)).toHaveLength(2);
  });

  it('rejects an oversized event with 413 naming it, and an oversized request with 413, publishing nothing', async () => {
    const big = await post([
      { payload: { user: 'u', amount: 1 } },
      { payload: { user: 'x'.repeat(3000), amount: 1 } },
    ]).expect(413);
    const huge = await post(
      Array.from({ length: 40 }, () => ({ payload: { user: 'y'.repeat(2000), amount: 1 } })),
    ).expect(413);

    expect(JSON.parse(big.text)).toMatchObject({
      type: 'https://gyre.dev/problems/event-too-large',
      errors: [{ pointer: '/events/1/payload' }],
    });
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(huge.text)).toMatchObject({
      type: 'https://gyre.dev/problems/request-too-large',
      status: 413,
    });
    expect(await readStream(topic)).toEqual([]);
  });

  it('answers malformed JSON with 400, bad NDJSON naming the line, and a wrong content type with 415', async () => {
    const malformed = await asProducer()
      .post(`/v1/streams/${stream}/events`)
      .set('content-type', 'application/json')
      .send('{"payload":')
      .expect(400);
    const ndjson = await asProducer()
      .post(`/v1/streams/${stream}/events`)
      .set('content-type', 'application/x-ndjson')
      .send('{"payload":{"user":"u","amount":1}}\nnot json\n')
      .expect(400);
    const text = await asProducer()
      .post(`/v1/streams/${stream}/events`)
      .set('content-type', 'text/plain')
      .send('hello')
      .expect(415);

    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(malformed.text).type).toBe('https://gyre.dev/problems/malformed-json');
    expect(JSON.parse(ndjson.text).errors).toEqual([
      { pointer: '/events/1', detail: 'line 2 is not valid JSON' },
    ]);
    expect(JSON.parse(text.text).type).toBe('https://gyre.dev/problems/unsupported-media-type');
    expect(await readStream(topic)).toEqual([]);
  });

  it('answers an unknown stream with a 404 problem', async () => {
    const response = await asProducer()
      .post(`/v1/streams/${streamName()}/events`)
      .send({ payload: {} })
      .expect(404);

    expect(JSON.parse(response.text).type).toBe('https://gyre.dev/problems/stream-not-found');
  });

  it('answers 503 with Retry-After, never 202, when the broker is unreachable, and the retry then succeeds', async () => {
    const unreachable = await startApiWith({
      PULSAR_SERVICE_URL: 'pulsar://127.0.0.1:1',
      INGEST_SEND_TIMEOUT_MS: '2000',
      INGEST_RETRY_AFTER_SECONDS: '3',
    });
    try {
      const body = { payload: { user: 'u', amount: 1 } };
      const response = await clientAs(unreachable, producer)
        .post(`/v1/streams/${stream}/events`)
        .set('idempotency-key', 'during-outage')
        .send(body)
        .expect(503);

      expect(response.headers['retry-after']).toBe('3');
      expect(JSON.parse(response.text).type).toBe('https://gyre.dev/problems/publish-unavailable');
      await post(body, { 'idempotency-key': 'during-outage' }).expect(202);
      expect(await readStream(topic)).toHaveLength(1);
    } finally {
      await unreachable.close();
    }
  });
});
