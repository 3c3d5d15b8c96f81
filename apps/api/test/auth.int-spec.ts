import type { INestApplication } from '@nestjs/common';
import { AuditLogEntry } from '@gyre/database';
import { JsonLogger } from '@gyre/logging';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { uniqueName } from '../../../tools/testing';
import { createApiApp } from '../src/api-app';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { createTestStream, deleteTestStream, readStream, startApiWith, streamName } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';
const EVENT = { payload: { user: 'u1', amount: 1 } };
const problemOf = (response: { text: string }) => JSON.parse(response.text) as { type: string };

describe('API keys on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let stream: string;
  let topic: string;
  const anonymous = () => request(app.getHttpServer());
  const withAuthorization = (value: string) => request.agent(app.getHttpServer()).set('authorization', value);
  const publishAs = (key: TestKey, to = stream) =>
    clientAs(app, key).post(`/v1/streams/${to}/events`).send(EVENT);

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    ({ name: stream, topic } = await createTestStream(app, operator));
  });
  afterAll(async () => {
    await deleteTestStream(app, operator, stream);
    await app?.close();
  });

  it('refuses a request without a key with 401 api-key-missing and a Bearer challenge', async () => {
    const response = await anonymous().get('/admin/streams').expect(401);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="gyre"');
    expect(problemOf(response).type).toBe(`${PROBLEMS}api-key-missing`);
  });

  it('refuses a malformed key or Authorization header with 401 api-key-malformed', async () => {
    for (const header of ['Bearer not-a-gyre-key', 'Basic dXNlcjpwYXNz', operator.secret, 'Bearer ']) {
      const response = await withAuthorization(header).get('/admin/streams').expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer realm="gyre", error="invalid_token"');
      expect(problemOf(response).type).toBe(`${PROBLEMS}api-key-malformed`);
    }
  });

  it('refuses an unknown key id, and a known id with a wrong secret, alike: 401 api-key-invalid', async () => {
    const wrongSecret = `gyre_${operator.id}_${'A'.repeat(43)}`;
    const unknownId = `gyre_0000000000000000_${operator.secret.slice(-43)}`;

    for (const key of [wrongSecret, unknownId]) {
      const response = await withAuthorization(`Bearer ${key}`).get('/admin/streams').expect(401);
      expect(problemOf(response).type).toBe(`${PROBLEMS}api-key-invalid`);
    }
  });

  it('refuses a revoked key with 401 api-key-revoked, and publishes nothing for it', async () => {
    const created = await clientAs(app, operator)
      .post('/admin/api-keys')
      .send({
        name: uniqueName('it-revoked'),
        role: 'producer',
        scope: { kind: 'streams', streams: [stream] },
      })
      .expect(201);
    const producer = { id: created.body.id, secret: created.body.secret };
    await publishAs(producer).expect(202);
    const published = (await readStream(topic)).length;

    await clientAs(app, operator).delete(`/admin/api-keys/${producer.id}`).expect(204);
    const response = await publishAs(producer).expect(401);

    expect(problemOf(response).type).toBe(`${PROBLEMS}api-key-revoked`);
    expect(await readStream(topic)).toHaveLength(published);
  });

  it('rotates a key: the old secret gets 401, the new one works with the same id, role and scope', async () => {
    const producer = await issueKey(app, 'producer', { kind: 'streams', streams: [stream] });

    const rotated = await clientAs(app, operator).post(`/admin/api-keys/${producer.id}/rotate`).expect(200);

    expect(rotated.body).toMatchObject({
      id: producer.id,
      role: 'producer',
      scope: { kind: 'streams', streams: [stream] },
      rotatedAt: expect.any(String),
    });
    expect(rotated.body.secret).not.toBe(producer.secret);
    expect(problemOf(await publishAs(producer).expect(401)).type).toBe(`${PROBLEMS}api-key-invalid`);
    await publishAs({ id: producer.id, secret: rotated.body.secret }).expect(202);
  });

  it('refuses a producer a stream outside its scope with 403 and publishes nothing', async () => {
    const other = streamName();
    const producer = await issueKey(app, 'producer', { kind: 'prefix', prefix: other });
    await publishAs(producer, other).expect(404);
    const published = (await readStream(topic)).length;

    const response = await publishAs(producer).expect(403);

    expect(problemOf(response).type).toBe(`${PROBLEMS}stream-out-of-scope`);
    expect(await readStream(topic)).toHaveLength(published);
  });

  it('refuses a producer and a consumer every admin endpoint with 403 role-forbidden', async () => {
    for (const role of ['producer', 'consumer'] as const) {
      const key = await issueKey(app, role);
      for (const call of [
        clientAs(app, key).get('/admin/streams'),
        clientAs(app, key).get('/admin/api-keys'),
        clientAs(app, key).post('/admin/api-keys').send({ name: 'escalate', role: 'admin' }),
        clientAs(app, key).delete(`/admin/streams/${stream}?confirm=${stream}`),
      ])
        expect(problemOf(await call.expect(403)).type).toBe(`${PROBLEMS}role-forbidden`);
    }
    await clientAs(app, operator).get(`/admin/streams/${stream}`).expect(200);
  });

  it('refuses a consumer publishing with 403 role-forbidden, even on a stream in its scope', async () => {
    const consumer = await issueKey(app, 'consumer', { kind: 'streams', streams: [stream] });
    const published = (await readStream(topic)).length;

    expect(problemOf(await publishAs(consumer).expect(403)).type).toBe(`${PROBLEMS}role-forbidden`);
    expect(await readStream(topic)).toHaveLength(published);
  });

  it('lets an admin key do everything: streams, keys and publishing', async () => {
    const admin = clientAs(app, operator);

    await admin.get('/admin/streams').expect(200);
    await admin.get(`/admin/streams/${stream}`).expect(200);
    await admin.get('/admin/api-keys').expect(200);
    await publishAs(operator).expect(202);
  });

  it('refuses an invalid key definition with 422 naming the fields, and a taken name with 409', async () => {
    const admin = clientAs(app, operator);
    const name = uniqueName('it-named');
    await admin.post('/admin/api-keys').send({ name, role: 'consumer' }).expect(201);

    const invalid = await admin
      .post('/admin/api-keys')
      .send({ name: 'x', role: 'root', scope: { kind: 'streams', streams: ['Bad Name'] } })
      .expect(422);
    const taken = await admin.post('/admin/api-keys').send({ name, role: 'consumer' }).expect(409);
    const unknown = await admin.delete('/admin/api-keys/0000000000000000').expect(404);

    expect(JSON.parse(invalid.text).errors.map((error: { pointer: string }) => error.pointer)).toEqual([
      '/role',
      '/scope/streams/0',
    ]);
    expect(problemOf(taken).type).toBe(`${PROBLEMS}api-key-exists`);
    expect(problemOf(unknown).type).toBe(`${PROBLEMS}api-key-not-found`);
  });

  it('lists keys with their grants and timestamps, never a secret or its hash', async () => {
    const created = await clientAs(app, operator)
      .post('/admin/api-keys')
      .send({
        name: uniqueName('it-listed'),
        role: 'consumer',
        scope: { kind: 'prefix', prefix: 'ranking.' },
      })
      .expect(201);

    const list = await clientAs(app, operator).get('/admin/api-keys').expect(200);

    expect(list.body).toContainEqual({
      id: created.body.id,
      name: created.body.name,
      role: 'consumer',
      scope: { kind: 'prefix', prefix: 'ranking.' },
      createdBy: operator.id,
      createdAt: expect.any(String),
      rotatedAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(list.text).not.toContain(created.body.secret.slice(-43));
    expect(list.text).not.toContain(operator.secret.slice(-43));
    for (const key of list.body) expect(Object.keys(key)).not.toEqual(expect.arrayContaining(['secret']));
    expect(list.text).not.toMatch(/"secret|hash"/i);
  });

  it('audits every key change with the calling key id as the actor, without secrets', async () => {
    const created = await clientAs(app, operator)
      .post('/admin/api-keys')
      .send({ name: uniqueName('it-audited'), role: 'producer' })
      .expect(201);
    const { id } = created.body;
    await clientAs(app, operator).post(`/admin/api-keys/${id}/rotate`).expect(200);
    await clientAs(app, operator).delete(`/admin/api-keys/${id}`).expect(204);

    const entries = await app
      .get(DataSource)
      .getRepository(AuditLogEntry)
      .find({ where: { target: `api-key/${id}` }, order: { id: 'ASC' } });

    expect(entries.map((entry) => [entry.action, entry.actor])).toEqual([
      ['api-key.create', operator.id],
      ['api-key.rotate', operator.id],
      ['api-key.revoke', operator.id],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/secret|hash/i);
  });

  it('documents the bearer scheme and the 401, 403 and 429 problems in /docs-json; /health needs no key', async () => {
    await anonymous().get('/health').expect(200);
    const document = (await anonymous().get('/docs-json').expect(200)).body;

    expect(document.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ 'api-key': [] }]);
    expect(document.paths['/health'].get.security).toEqual([]);
    for (const operation of [
      document.paths['/v1/streams/{stream}/events'].post,
      document.paths['/admin/api-keys'].post,
      document.paths['/admin/api-keys/{id}/rotate'].post,
    ])
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
  });
});

describe('API key rate limits on the real stack', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApiWith({ AUTH_RATE_LIMIT_PER_SECOND: '1', AUTH_RATE_LIMIT_BURST: '2' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 rate-limited with Retry-After once a key exceeds its limit, other keys unaffected', async () => {
    const [busy, quiet] = [await issueKey(app, 'admin'), await issueKey(app, 'admin')];

    const responses = await Promise.all([1, 2, 3].map(() => clientAs(app, busy).get('/admin/api-keys')));

    const limited = responses.filter((response) => response.status === 429);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 429]);
    expect(limited[0].headers['retry-after']).toBe('1');
    expect(problemOf(limited[0])).toMatchObject({ type: `${PROBLEMS}rate-limited`, retryAfterSeconds: 1 });
    await clientAs(app, quiet).get('/admin/api-keys').expect(200);
  });
});

describe('API logs', () => {
  it('never contain a key or a payload, whatever the request', async () => {
    const lines: string[] = [];
    const app = await createApiApp(new JsonLogger({ level: 'debug', sink: { write: (l) => lines.push(l) } }));
    await app.init();
    try {
      const admin = await issueKey(app, 'admin');
      const payload = { user: uniqueName('secret-user'), amount: 1 };
      await clientAs(app, admin).post(`/v1/streams/${streamName()}/events`).send({ payload }).expect(404);
      await request(app.getHttpServer())
        .get('/admin/streams')
        .set('authorization', `Bearer ${admin.secret.slice(0, -1)}x`)
        .expect(401);
      await request(app.getHttpServer()).get('/admin/streams').set('authorization', 'Bearer x').expect(401);

      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('')).not.toContain(admin.secret.slice(-43, -1));
      expect(lines.join('')).not.toContain(payload.user);
    } finally {
      await app.close();
    }
  });
});

describe('npm run api-key', () => {
  const repoRoot = resolve(__dirname, '..', '..', '..');
  const apiKeyCli = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), 'libs/auth/src/cli.ts', ...args],
      {
        cwd: repoRoot,
      },
    );
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApiWith({});
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates an admin key, prints its secret once, and the key works against the API', async () => {
    const name = uniqueName('it-cli-admin');

    const { stdout } = await apiKeyCli('create', '--role', 'admin', '--name', name);

    const secret = /^gyre_[0-9a-f]{16}_[\w-]{43}$/m.exec(stdout)?.[0];
    expect(secret).toBeDefined();
    expect(stdout).toContain(`"${name}" (admin, all streams)`);
    const list = await request(app.getHttpServer())
      .get('/admin/api-keys')
      .set('authorization', `Bearer ${secret}`)
      .expect(200);
    expect(list.body).toContainEqual(
      expect.objectContaining({ name, role: 'admin', createdBy: expect.stringMatching(/^cli/) }),
    );
    expect((await apiKeyCli('list')).stdout).not.toContain(secret!.slice(-43));
  });

  it('refuses a create without --role or --name with the usage and exit code 2', async () => {
    await expect(apiKeyCli('create', '--name', 'x')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage:'),
    });
  });
});
