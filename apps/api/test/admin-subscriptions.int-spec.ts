import type { INestApplication } from '@nestjs/common';
import { AuditLogEntry } from '@gyre/database';
import { Client } from '@gyre/pulsar';
import { PulsarAdmin, PulsarAdminError } from '@gyre/pulsar-admin';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { createTestStream, deleteTestStream, endpoints, startApiWith, streamName } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';

describe('/admin/streams/{stream}/subscriptions on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let stream: string;
  let published: string[];
  const http = () => clientAs(app, operator);
  const subs = () => `/admin/streams/${stream}/subscriptions`;
  const backlogOf = async (sub: string) =>
    (await http().get(`${subs()}/${sub}`).expect(200)).body.backlog.messages;

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    stream = (await createTestStream(app, operator, { ownerTeam: 'ops', partitions: 2 })).name;
    const events = Array.from({ length: 6 }, (_, i) => ({
      key: `user-${i}`,
      payload: { user: `user-${i}`, amount: i },
      properties: { source: 'it' },
      eventTime: 1_700_000_000_000 + i,
    }));
    const response = await http().post(`/v1/streams/${stream}/events`).send(events).expect(202);
    published = response.body.events.map((event: { messageId: string }) => event.messageId);
  });
  afterAll(async () => {
    await deleteTestStream(app, operator, stream);
    await app?.close();
  });

  it('creates a subscription at the earliest and lists its backlog in messages and in time, audited', async () => {
    const name = uniqueName('sub');
    const created = await http().post(subs()).send({ name, at: 'earliest' }).expect(201);

    expect(created.body).toMatchObject({ name, backlog: { messages: 6 } });
    expect(created.body.backlog.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(created.body.backlog.oldestPublishTime)).toBeLessThanOrEqual(Date.now());
    expect((await http().get(subs()).expect(200)).body.map((s: { name: string }) => s.name)).toContain(name);
    const audit = await app
      .get(DataSource)
      .getRepository(AuditLogEntry)
      .findBy({ target: `stream/${stream}/subscription/${name}` });
    expect(audit).toMatchObject([{ actor: operator.id, action: 'subscription.create', before: null }]);
  });

  it('refuses to create a subscription twice', async () => {
    const name = uniqueName('sub');
    await http().post(subs()).send({ name }).expect(201);

    const again = await http().post(subs()).send({ name }).expect(409);
    expect(again.body.type).toBe(`${PROBLEMS}subscription-exists`);
  });

  it("peeks batched messages without consuming them, with Gyre's ids, keys, properties, event times and decoded payloads", async () => {
    const name = uniqueName('sub');
    await http().post(subs()).send({ name, at: 'earliest' }).expect(201);

    const peeked = (await http().get(`${subs()}/${name}/messages?count=6`).expect(200)).body;

    expect(peeked).toHaveLength(6);
    expect(peeked.map((m: { messageId: string }) => m.messageId).sort()).toEqual([...published].sort());
    const first = peeked.find((m: { key: string }) => m.key === 'user-0');
    expect(first).toMatchObject({
      payload: { user: 'user-0', amount: 0 },
      properties: { source: 'it' },
      eventTime: new Date(1_700_000_000_000).toISOString(),
    });
    expect(await backlogOf(name)).toBe(6);
  });

  it('peeks a JSON payload as the stored text: an id beyond 2^53 is not rounded, 1.0 stays 1.0', async () => {
    const exact = streamName();
    await http()
      .post('/admin/streams')
      .send({ name: exact, ownerTeam: 'ops', partitions: 1, schema: { type: 'object' } })
      .expect(201);
    const payload = '{"id":9007199254740993,"f":1.0, "neg0":-0}';
    await http()
      .post(`/v1/streams/${exact}/events`)
      .set('content-type', 'application/json')
      .send(`{"key":"k","payload":${payload}}`)
      .expect(202);
    const name = uniqueName('sub');
    await http().post(`/admin/streams/${exact}/subscriptions`).send({ name, at: 'earliest' }).expect(201);

    const peeked = await http().get(`/admin/streams/${exact}/subscriptions/${name}/messages`).expect(200);

    expect(peeked.headers['content-type']).toMatch(/^application\/json/);
    expect(peeked.text).toContain(`"payload":${payload}}`);
    expect(peeked.body).toMatchObject([{ key: 'k', payload: { f: 1, neg0: -0 } }]);
    expect(peeked.body[0]).not.toHaveProperty('payloadBase64');
    await http().delete(`/admin/streams/${exact}?confirm=${exact}`).expect(204);
  });

  it('resets the cursor to a time, to a message id in both forms, and skips messages of a partition', async () => {
    const name = uniqueName('sub');
    await http().post(subs()).send({ name, at: 'earliest' }).expect(201);
    const future = new Date(Date.now() + 3_600_000).toISOString();

    await http().post(`${subs()}/${name}/reset-cursor`).send({ timestamp: future }).expect(200);
    expect(await backlogOf(name)).toBe(0);
    await http().post(`${subs()}/${name}/reset-cursor`).send({ timestamp: 0 }).expect(200);
    expect(await backlogOf(name)).toBe(6);

    const peeked = (await http().get(`${subs()}/${name}/messages?count=6`).expect(200)).body;
    const last = peeked[peeked.length - 1];
    await http().post(`${subs()}/${name}/reset-cursor`).send({ timestamp: future }).expect(200);
    await http().post(`${subs()}/${name}/reset-cursor`).send({ messageId: last.messageId }).expect(200);
    const [ledger, entry, partition] = last.position.split(':');
    await http()
      .post(`${subs()}/${name}/reset-cursor`)
      .send({ messageId: `${ledger}:${entry}:${partition}` })
      .expect(200);
    expect(await backlogOf(name)).toBeGreaterThan(0);

    await http().post(`${subs()}/${name}/reset-cursor`).send({ timestamp: 0 }).expect(200);
    const before = await backlogOf(name);
    await http()
      .post(`${subs()}/${name}/skip`)
      .send({ count: 1, partition: Number(partition) })
      .expect(200);
    await waitFor(async () => (await backlogOf(name)) < before, { description: 'the skip to show' });
  });

  it('refuses bad message ids, bad timestamps, an ambiguous skip and an unconfirmed clear, with their problem types', async () => {
    const name = uniqueName('sub');
    await http().post(subs()).send({ name, at: 'earliest' }).expect(201);
    const expectProblem = async (call: request.Test, status: number, type: string) =>
      expect((await call.expect(status)).body.type).toBe(`${PROBLEMS}${type}`);

    await expectProblem(
      http().post(`${subs()}/${name}/reset-cursor`).send({ messageId: 'not-an-id!' }),
      400,
      'invalid-message-id',
    );
    await expectProblem(
      http().post(`${subs()}/${name}/reset-cursor`).send({ messageId: '12:3' }),
      400,
      'invalid-message-id',
    );
    await expectProblem(
      http().post(`${subs()}/${name}/reset-cursor`).send({ timestamp: 'yesterday' }),
      400,
      'invalid-timestamp',
    );
    await expectProblem(
      http()
        .post(subs())
        .send({ name: uniqueName('sub'), messageId: '::' }),
      400,
      'invalid-message-id',
    );
    await expectProblem(http().post(`${subs()}/${name}/skip`).send({ count: 1 }), 422, 'invalid-policy');
    await expectProblem(http().post(`${subs()}/${name}/clear-backlog`), 400, 'operation-not-confirmed');
    await expectProblem(
      http().post(`${subs()}/${name}/clear-backlog?confirm=other`),
      400,
      'operation-not-confirmed',
    );
    await expectProblem(http().get(`${subs()}/${name}/messages?count=1000`), 400, 'invalid-request');
    expect(await backlogOf(name)).toBe(6);
  });

  it('clears a backlog when confirmed, then deletes the subscription', async () => {
    const name = uniqueName('sub');
    await http().post(subs()).send({ name, at: 'earliest' }).expect(201);

    await http().post(`${subs()}/${name}/clear-backlog?confirm=${name}`).expect(200);
    expect(await backlogOf(name)).toBe(0);
    await http().delete(`${subs()}/${name}`).expect(204);
    const gone = await http().get(`${subs()}/${name}`).expect(404);
    expect(gone.body.type).toBe(`${PROBLEMS}subscription-not-found`);
  });

  it('answers unknown streams and subscriptions with 404 and their own types', async () => {
    expect((await http().get('/admin/streams/no-such-stream/subscriptions').expect(404)).body.type).toBe(
      `${PROBLEMS}stream-not-found`,
    );
    expect(
      (await http().post(`${subs()}/nope/skip`).send({ count: 1, partition: 0 }).expect(404)).body.type,
    ).toBe(`${PROBLEMS}subscription-not-found`);
  });

  it('answers 503 with Retry-After when the admin API is unreachable and 502 when it fails', async () => {
    const admin = app.get(PulsarAdmin);
    const spy = jest
      .spyOn(admin, 'partitionedStats')
      .mockRejectedValueOnce(new PulsarAdminError('unreachable', 'GET', '/x'))
      .mockRejectedValueOnce(new PulsarAdminError('server-error', 'GET', '/x', 500));
    try {
      const unavailable = await http().get(subs()).expect(503);
      expect(unavailable.body.type).toBe(`${PROBLEMS}pulsar-admin-unavailable`);
      expect(unavailable.headers['retry-after']).toBe('5');
      expect((await http().get(subs()).expect(502)).body.type).toBe(`${PROBLEMS}pulsar-admin-failed`);
    } finally {
      spy.mockRestore();
    }
  });

  it('lists connected consumers with their subscription, unacked messages and permits, and producers', async () => {
    const name = uniqueName('sub');
    const client = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
    try {
      await client.subscribe({
        topic: `persistent://gyre/streams/${stream}`,
        subscription: name,
        subscriptionType: 'Shared',
        consumerName: 'it-consumer',
      });
      const connections = await waitFor(async () => {
        const body = (await http().get(`/admin/streams/${stream}/connections`).expect(200)).body;
        return body.consumers.some((c: { subscription: string }) => c.subscription === name) && body;
      });
      expect(
        connections.consumers.find((c: { subscription: string }) => c.subscription === name),
      ).toMatchObject({
        name: 'it-consumer',
        address: expect.any(String),
        connectedSince: expect.any(String),
        unackedMessages: expect.any(Number),
        availablePermits: expect.any(Number),
      });
      expect(connections.producers.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('needs an admin key', async () => {
    const producer = await issueKey(app, 'producer');
    expect((await clientAs(app, producer).get(subs()).expect(403)).body.type).toBe(
      `${PROBLEMS}role-forbidden`,
    );
  });
});

describe('/admin/namespace/policies and /metrics on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reads and updates the namespace policies, auditing the change', async () => {
    const current = (await clientAs(app, operator).get('/admin/namespace/policies').expect(200)).body;
    expect(current).toMatchObject({
      namespace: 'gyre/streams',
      deduplication: true,
      retention: { minutes: -1, sizeMb: -1 },
    });

    const updated = await clientAs(app, operator)
      .put('/admin/namespace/policies')
      .send({ offloadThresholdBytes: current.offloadThresholdBytes, deduplication: true })
      .expect(200);

    expect(updated.body).toEqual(current);
    const [entry] = await app
      .get(DataSource)
      .getRepository(AuditLogEntry)
      .find({ where: { action: 'namespace.policies.update', actor: operator.id } });
    expect(entry).toMatchObject({ target: 'namespace/gyre/streams', before: current, after: current });
    await clientAs(app, operator).put('/admin/namespace/policies').send({ deduplication: 'yes' }).expect(400);
    await clientAs(app, operator).put('/admin/namespace/policies').send({}).expect(400);
  });

  it('serves Prometheus metrics without a key: requests by route and status, latency histogram, problems by type', async () => {
    await clientAs(app, operator).get('/admin/streams/no-such-stream').expect(404);

    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);

    expect(metrics.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(metrics.text).toContain(
      'gyre_api_requests_total{method="GET",route="/admin/streams/:stream",status="404"} 1',
    );
    expect(metrics.text).toMatch(
      /gyre_api_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/admin\/streams\/:stream",status="404"\} 1/,
    );
    expect(metrics.text).toContain(
      'gyre_api_problems_total{type="https://gyre.dev/problems/stream-not-found",status="404"} 1',
    );
    expect(metrics.text).toContain('gyre_api_publish_in_flight_events 0');
    expect(metrics.text).toContain('process_resident_memory_bytes');
  });
});
