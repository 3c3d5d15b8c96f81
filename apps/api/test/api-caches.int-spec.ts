import type { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import {
  CLICK_SCHEMA,
  createTestStream,
  deleteTestStream,
  readStream,
  startApiWith,
} from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';
const EVENT = { payload: { user: 'u1', amount: 1 } };
const TTL_MS = 1500;

/**
 * Two API instances on one database, each trusting verified keys and stream records from memory for
 * TTL_MS: what one instance changes takes effect on it at once, and on the other within the TTL.
 */
describe('API caches across two instances on the real stack', () => {
  let first: INestApplication;
  let second: INestApplication;
  let operator: TestKey;
  let stream: string;
  let topic: string;

  beforeAll(async () => {
    const settings = { AUTH_KEY_CACHE_TTL_MS: String(TTL_MS), STREAM_CACHE_TTL_MS: String(TTL_MS) };
    first = await startApiWith(settings);
    second = await startApiWith(settings);
    operator = await issueKey(first, 'admin');
    ({ name: stream, topic } = await createTestStream(first, operator));
  });
  afterAll(async () => {
    await deleteTestStream(first, operator, stream);
    await first?.close();
    await second?.close();
  });

  it('refuses a revoked key at once on the revoking instance and within the TTL on the other', async () => {
    const producer = await issueKey(first, 'producer', { kind: 'streams', streams: [stream] });
    await clientAs(first, producer).post(`/v1/streams/${stream}/events`).send(EVENT).expect(202);
    await clientAs(second, producer).post(`/v1/streams/${stream}/events`).send(EVENT).expect(202);

    await clientAs(first, operator).delete(`/admin/api-keys/${producer.id}`).expect(204);

    const refused = await clientAs(first, producer).post(`/v1/streams/${stream}/events`).send(EVENT);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).type).toBe(`${PROBLEMS}api-key-revoked`);
    await waitFor(
      async () =>
        (await clientAs(second, producer).post(`/v1/streams/${stream}/events`).send(EVENT)).status === 401,
      // That the cache forgets a key within its TTL is the cache's unit test (with a clock); a wall-clock
      // bound here would fail on a loaded machine, so this only asks that the other instance converges.
      { description: 'the other instance to refuse the revoked key', timeoutMs: TTL_MS + 20_000 },
    );
  });

  it('validates against a new schema version at once on the changing instance and within the TTL on the other', async () => {
    const producer = await issueKey(first, 'producer', { kind: 'streams', streams: [stream] });
    const withLabel = { payload: { user: 'u1', amount: 1, label: 'x' } };
    await clientAs(second, producer).post(`/v1/streams/${stream}/events`).send(EVENT).expect(202);

    // Backward compatible: a new optional field, and no more extra fields than that.
    await clientAs(first, operator)
      .put(`/admin/streams/${stream}/schema`)
      .send({
        schema: {
          ...CLICK_SCHEMA,
          properties: { ...CLICK_SCHEMA.properties, label: { type: 'string' } },
        },
      })
      .expect(200);
    const refusal = { payload: { user: 'u1', amount: 1, label: 7 } };

    await clientAs(first, producer).post(`/v1/streams/${stream}/events`).send(refusal).expect(422);
    await clientAs(first, producer).post(`/v1/streams/${stream}/events`).send(withLabel).expect(202);
    await waitFor(
      async () =>
        (await clientAs(second, producer).post(`/v1/streams/${stream}/events`).send(refusal)).status === 422,
      { description: 'the other instance to validate against the new version', timeoutMs: 10_000 },
    );
  });

  it('refuses a request without a valid key before reading its body', async () => {
    const before = (await readStream(topic)).length;
    const { port } = await listening(second);

    // The body is announced (100 MB) but never sent: only a refusal before reading it can answer.
    const answer = await new Promise<{ status: number; type: string; authenticate?: string }>(
      (resolve, reject) => {
        const pending = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/v1/streams/${stream}/events`,
            headers: {
              'content-type': 'application/json',
              'content-length': String(100 * 1024 * 1024),
              authorization: 'Bearer gyre_nokey_nosecret',
            },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => {
              // The announced body will never come: drop the connection, or closing the app waits for it.
              pending.destroy();
              resolve({
                status: response.statusCode ?? 0,
                type: (JSON.parse(text) as { type: string }).type,
                authenticate: response.headers['www-authenticate'],
              });
            });
          },
        );
        pending.on('error', reject);
        pending.flushHeaders();
      },
    );

    expect(answer.status).toBe(401);
    expect(answer.type).toMatch(new RegExp(`^${PROBLEMS}api-key-`));
    expect(answer.authenticate).toMatch(/^Bearer/);
    expect(await readStream(topic)).toHaveLength(before);
  });
});

/** The address of an app initialised for supertest, now listening on a free port of its own. */
async function listening(app: INestApplication): Promise<AddressInfo> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer() as { address(): AddressInfo }).address();
}
