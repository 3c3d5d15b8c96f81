import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { createTestStream, deleteTestStream, readStream, startApiWith, streamName } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';

interface RawResponse {
  status: number;
  contentType: string | undefined;
  problem: Record<string, unknown>;
}

/**
 * A POST sent byte for byte on a socket (supertest re-encodes a Buffer body as JSON and always sends the
 * true Content-Length); the socket's write side is closed after the body.
 */
async function rawExchange(port: number, head: string, body: Buffer): Promise<RawResponse> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      socket.write(head);
      socket.end(body);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
  const [headers, payload] = [
    text.slice(0, text.indexOf('\r\n\r\n')),
    text.slice(text.indexOf('\r\n\r\n') + 4),
  ];
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]),
    contentType: /^content-type: ([^;\r\n]+)/im.exec(headers)?.[1],
    problem: JSON.parse(payload) as Record<string, unknown>,
  };
}

function problemOf(response: { headers: Record<string, string>; text: string }): Record<string, unknown> {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(response.text) as Record<string, unknown>;
}

describe('bad input on the real stack: every refusal is problem+json with a stable type', () => {
  let app: INestApplication;
  let operator: TestKey;
  let producer: TestKey;
  let stream: string;
  let topic: string;
  const anonymous = () => request(app.getHttpServer());
  const eventsPath = () => `/v1/streams/${stream}/events`;
  const postEvents = (body: string, type = 'application/json') =>
    clientAs(app, producer).post(eventsPath()).set('content-type', type).send(body);
  const rawPost = async (path: string, type: string, body: Buffer, contentLength = body.length) => {
    const server = app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const head =
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${producer.secret}\r\n` +
      `Content-Type: ${type}\r\nContent-Length: ${contentLength}\r\nConnection: close\r\n\r\n`;
    return rawExchange((server.address() as AddressInfo).port, head, body);
  };

  beforeAll(async () => {
    app = await startApiWith({
      INGEST_MAX_PAYLOAD_DEPTH: '8',
      INGEST_MAX_EVENT_BYTES: '131072',
      INGEST_MAX_REQUEST_BYTES: '262144',
    });
    operator = await issueKey(app, 'admin');
    producer = await issueKey(app, 'producer');
    ({ name: stream, topic } = await createTestStream(app, operator, { schema: { type: 'object' } }));
  });
  afterAll(async () => {
    await deleteTestStream(app, operator, stream);
    await app?.close();
  });

  it('refuses payloads deeper than INGEST_MAX_PAYLOAD_DEPTH with 422 payload-too-deep, 10,000 deep included, publishing nothing', async () => {
    const arrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const refused = await postEvents(
      `[{"payload":{"ok":${arrays(7)}}},{"payload":${arrays(10_000)}},{"payload":${objects(10_000)}}]`,
    ).expect(422);
    const ndjson = await postEvents(`{"payload":${objects(9)}}\n`, 'application/x-ndjson').expect(422);

    expect(problemOf(refused)).toMatchObject({
      type: `${PROBLEMS}payload-too-deep`,
      errors: [
        { pointer: '/events/1/payload', detail: 'nests 10000 levels deep; at most 8 are accepted' },
        { pointer: '/events/2/payload', detail: 'nests 10000 levels deep; at most 8 are accepted' },
      ],
    });
    expect(problemOf(ndjson).type).toBe(`${PROBLEMS}payload-too-deep`);
    expect(await readStream(topic)).toEqual([]);
    await postEvents(`{"key":"deepest","payload":${objects(8)}}`).expect(202);
  });

  it('refuses any other JSON body nesting deeper than 128 levels with 422 body-too-deep, creating nothing', async () => {
    const name = streamName();
    const deepSchema = `${'{"not":'.repeat(10_000)}{}${'}'.repeat(10_000)}`;
    const response = await clientAs(app, operator)
      .post('/admin/streams')
      .set('content-type', 'application/json')
      .send(`{"name":"${name}","ownerTeam":"ml","partitions":1,"schema":${deepSchema}}`)
      .expect(422);

    expect(problemOf(response)).toMatchObject({
      type: `${PROBLEMS}body-too-deep`,
      detail: 'the request body nests 10002 levels deep; at most 128 are accepted',
    });
    await clientAs(app, operator).get(`/admin/streams/${name}`).expect(404);
  });

  it('answers a control character in any path parameter with 400 invalid-path before authentication', async () => {
    const paths = [
      ['post', '/v1/streams/%00/events'],
      ['get', '/admin/streams/%00'],
      ['get', '/admin/streams/a%0Ab'],
      ['post', `/v1/streams/s/subscriptions/sub%7F/messages:pull`],
    ] as const;
    for (const [method, path] of paths) {
      const response = await anonymous()[method](path).send({}).expect(400);
      expect(problemOf(response)).toMatchObject({ type: `${PROBLEMS}invalid-path`, instance: path });
    }
  });

  it('answers a malformed percent-escape with 400 invalid-path', async () => {
    const response = await anonymous().get('/admin/streams/%E0%A4%A').expect(400);
    expect(problemOf(response).type).toBe(`${PROBLEMS}invalid-path`);
  });

  it('answers a 200-character subscription with invalid-subscription and a parameter over 2,048 with 414 uri-too-long', async () => {
    const consumer = await issueKey(app, 'consumer');
    const pull = (subscription: string) =>
      clientAs(app, consumer)
        .post(`/v1/streams/${stream}/subscriptions/${subscription}/messages:pull`)
        .send({ max: 1 });

    expect(problemOf(await pull('s'.repeat(200)).expect(400)).type).toBe(`${PROBLEMS}invalid-subscription`);
    const longStream = await clientAs(app, operator)
      .get(`/admin/streams/${'s'.repeat(150)}`)
      .expect(404);
    expect(problemOf(longStream).type).toBe(`${PROBLEMS}stream-not-found`);
    expect(problemOf(await pull('s'.repeat(3000)).expect(414)).type).toBe(`${PROBLEMS}uri-too-long`);
  });

  it('answers a body that is not UTF-8 with 400 malformed-utf8, publishing nothing', async () => {
    const body = Buffer.concat([Buffer.from('{"payload":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const json = await rawPost(eventsPath(), 'application/json', body);
    const ndjson = await rawPost(eventsPath(), 'application/x-ndjson', body);

    expect(json).toMatchObject({ status: 400, contentType: 'application/problem+json' });
    expect(json.problem).toMatchObject({ type: `${PROBLEMS}malformed-utf8`, status: 400 });
    expect(ndjson.problem.type).toBe(`${PROBLEMS}malformed-utf8`);
    expect((await readStream(topic)).map((message) => message.key)).toEqual(['deepest']);
  });

  it('answers an empty or invalid JSON body with 400 malformed-json', async () => {
    expect(problemOf(await postEvents('').expect(400)).type).toBe(`${PROBLEMS}malformed-json`);
    expect(problemOf(await postEvents('{"payload":1,}').expect(400)).type).toBe(`${PROBLEMS}malformed-json`);
  });

  it('answers a body over INGEST_MAX_REQUEST_BYTES with 413 request-too-large', async () => {
    const response = await postEvents(`{"payload":"${'x'.repeat(300_000)}"}`).expect(413);
    expect(problemOf(response).type).toBe(`${PROBLEMS}request-too-large`);
  });

  it('answers a body shorter than its Content-Length with 400 invalid-request', async () => {
    const response = await rawPost(eventsPath(), 'application/json', Buffer.from('{"payload":1}'), 40);

    expect(response).toMatchObject({ status: 400, contentType: 'application/problem+json' });
    expect(response.problem.type).toBe(`${PROBLEMS}invalid-request`);
  });

  it('answers an unknown route with 404 not-found and a wrong method with 405 method-not-allowed and Allow', async () => {
    const unknown = await anonymous().get('/v1/nothing-here').expect(404);
    const wrongMethod = await anonymous().delete(`/v1/streams/${stream}/events`).expect(405);

    expect(problemOf(unknown).type).toBe(`${PROBLEMS}not-found`);
    expect(problemOf(wrongMethod).type).toBe(`${PROBLEMS}method-not-allowed`);
    expect(wrongMethod.headers.allow).toBe('POST');
  });

  it('counts the refusals answered before Nest (router, HTTP parser, route guard) in gyre_api_problems_total', async () => {
    const problems = async () => {
      const metrics = (await anonymous().get('/metrics').expect(200)).text;
      return (type: string, status: number) =>
        Number(
          new RegExp(
            `^gyre_api_problems_total\\{type="${PROBLEMS}${type}",status="${status}"\\} (\\d+)$`,
            'm',
          ).exec(metrics)?.[1] ?? 0,
        );
    };
    const server = app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const before = await problems();

    await anonymous().get('/admin/streams/%E0%A4%A').expect(400); // router: bad percent-escape
    await anonymous()
      .get(`/admin/streams/${'s'.repeat(3000)}`)
      .expect(414); // router: parameter too long
    await anonymous().get('/admin/streams/a%0Ab').expect(400); // route guard: control character
    await anonymous().delete(`/v1/streams/${stream}/events`).expect(405); // route guard: wrong method
    await rawPost(eventsPath(), 'application/json', Buffer.from('{"payload":1}'), 40); // parser: short body
    const huge = `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`;
    expect((await rawExchange(port, huge, Buffer.alloc(0))).status).toBe(431); // parser: headers too large

    const after = await problems();
    const counted = (type: string, status: number) => after(type, status) - before(type, status);
    expect({
      invalidPath: counted('invalid-path', 400),
      uriTooLong: counted('uri-too-long', 414),
      methodNotAllowed: counted('method-not-allowed', 405),
      invalidRequest: counted('invalid-request', 400),
      headerTooLarge: counted('request-header-too-large', 431),
    }).toEqual({ invalidPath: 2, uriTooLong: 1, methodNotAllowed: 1, invalidRequest: 1, headerTooLarge: 1 });
  });
});
