import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { freePort, PrivatePostgres, uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { createTestStream, deleteTestStream, readStream, startApiWith } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';
const EVENT = { payload: { user: 'u1', amount: 1 } };

/**
 * An API on a Postgres of its own that the test stops and starts again (the shared stack's Postgres is
 * never touched). Caches off (TTL 0), so every request needs the database.
 */
describe('API while its Postgres is down (private Postgres, real broker)', () => {
  let postgres: PrivatePostgres;
  let app: INestApplication;
  let operator: TestKey;
  let producer: TestKey;
  let stream: string;
  let topic: string;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start(await freePort());
    app = await startApiWith({
      DATABASE_URL: postgres.url,
      AUTH_KEY_CACHE_TTL_MS: '0',
      STREAM_CACHE_TTL_MS: '0',
    });
    operator = await issueKey(app, 'admin');
    ({ name: stream, topic } = await createTestStream(app, operator));
    producer = await issueKey(app, 'producer', { kind: 'streams', streams: [stream] });
  }, 120_000);
  afterAll(async () => {
    await deleteTestStream(app, operator, stream);
    await app?.close();
    postgres?.stop();
  }, 120_000);

  it('answers 503 database-unavailable with Retry-After, publishes nothing, and recovers when it is back', async () => {
    await clientAs(app, producer).post(`/v1/streams/${stream}/events`).send(EVENT).expect(202);
    const before = (await readStream(topic)).length;

    postgres.down();
    try {
      const publish = await clientAs(app, producer)
        .post(`/v1/streams/${stream}/events`)
        .set('idempotency-key', uniqueName('outage'))
        .send([EVENT, EVENT]);
      const listing = await clientAs(app, operator).get('/admin/streams');

      for (const response of [publish, listing]) {
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['retry-after']).toBe('5');
        expect(JSON.parse(response.text)).toMatchObject({
          type: `${PROBLEMS}database-unavailable`,
          status: 503,
        });
      }
      expect(await readStream(topic)).toHaveLength(before);
    } finally {
      postgres.up();
    }

    await waitFor(
      async () =>
        (await clientAs(app, producer).post(`/v1/streams/${stream}/events`).send(EVENT)).status === 202,
      { description: 'publishing to work again once Postgres is back', timeoutMs: 30_000 },
    );
    await clientAs(app, operator).get('/admin/streams').expect(200);
    expect(await readStream(topic)).toHaveLength(before + 1);
  });
});

describe('expiry of idempotency claims on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let stream: string;
  let topic: string;

  beforeAll(async () => {
    app = await startApiWith({
      INGEST_IDEMPOTENCY_WINDOW_SECONDS: '1',
      INGEST_IDEMPOTENCY_CLEANUP_INTERVAL_MS: '500',
    });
    operator = await issueKey(app, 'admin');
    ({ name: stream, topic } = await createTestStream(app, operator));
  });
  afterAll(async () => {
    await deleteTestStream(app, operator, stream);
    await app?.close();
  });

  it('deletes claims older than the window periodically; the same key then publishes anew', async () => {
    const key = uniqueName('expiring');
    const publish = () =>
      clientAs(app, operator).post(`/v1/streams/${stream}/events`).set('idempotency-key', key).send(EVENT);
    const first = await publish().expect(202);
    const claims = async () =>
      (
        await app
          .get(DataSource)
          .query(`SELECT count(*)::int AS n FROM gyre_ingest_idempotency WHERE stream = $1`, [stream])
      )[0].n as number;
    expect(await claims()).toBe(1);

    await waitFor(async () => (await claims()) === 0, {
      description: 'the expired claim to be deleted',
      timeoutMs: 15_000,
    });
    const again = await publish().expect(202);

    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.events[0].messageId).not.toBe(first.body.events[0].messageId);
    expect(await readStream(topic)).toHaveLength(2);
  });
});
