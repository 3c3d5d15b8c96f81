import type { INestApplication } from '@nestjs/common';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { createTestStream, deleteTestStream, startApiWith } from './streams-helpers';

const PROBLEMS = 'https://gyre.dev/problems/';

/** The read endpoints the console's pages use: the calling key, streams in scope, time series, audit log. */
describe('the console read endpoints on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let stream: string;
  let other: string;

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    stream = (await createTestStream(app, operator, { partitions: 2 })).name;
    other = (await createTestStream(app, operator)).name;
    await clientAs(app, operator)
      .post(`/admin/streams/${stream}/subscriptions`)
      .send({ name: 'reader', at: 'earliest' })
      .expect(201);
  });
  afterAll(async () => {
    await deleteTestStream(app, operator, stream);
    await deleteTestStream(app, operator, other);
    await app?.close();
  });

  it('tells a consumer key its role and scope, and lists only the streams in that scope', async () => {
    const consumer = await issueKey(app, 'consumer', { kind: 'streams', streams: [stream] });

    const key = (await clientAs(app, consumer).get('/v1/key').expect(200)).body;
    const streams = (await clientAs(app, consumer).get('/v1/streams').expect(200)).body;

    expect(key).toEqual({
      id: consumer.id,
      name: expect.any(String),
      role: 'consumer',
      scope: { kind: 'streams', streams: [stream] },
    });
    expect(streams.map((listed: { name: string }) => listed.name)).toEqual([stream]);
  });

  it("samples a stream's backlog per subscription, and refuses a stream outside the key's scope with 403", async () => {
    const consumer = await issueKey(app, 'consumer', { kind: 'streams', streams: [stream] });
    await clientAs(app, operator)
      .post(`/v1/streams/${stream}/events`)
      .send({ key: 'k1', payload: { user: 'u1', amount: 1 } })
      .expect(202);

    const samples = (await clientAs(app, consumer).get(`/v1/streams/${stream}/samples`).expect(200)).body;
    const refused = await clientAs(app, consumer).get(`/v1/streams/${other}/samples`).expect(403);

    expect(samples.at(-1)).toMatchObject({ messagesIn: 1, subscriptions: { reader: { backlog: 1 } } });
    expect(refused.body.type).toBe(`${PROBLEMS}stream-out-of-scope`);
    await clientAs(app, operator).get('/v1/streams/no-such-stream/samples').expect(404);
  });

  it("reads a stream's bytes per storage tier from its partitions' ledgers, and refuses a stream outside the key's scope with 403", async () => {
    const consumer = await issueKey(app, 'consumer', { kind: 'streams', streams: [stream] });
    await clientAs(app, operator)
      .post(`/v1/streams/${stream}/events`)
      .send({ key: 'k-tiers', payload: { user: 'u-tiers', amount: 1 } })
      .expect(202);

    const tiers = (await clientAs(app, consumer).get(`/v1/streams/${stream}/tiers`).expect(200)).body;
    const refused = await clientAs(app, consumer).get(`/v1/streams/${other}/tiers`).expect(403);

    // Nothing offloaded yet: every ledger is in BookKeeper, the open one holding the event.
    expect(tiers).toMatchObject({ stream, s3: { ledgers: 0, bytes: 0 } });
    expect(tiers.bookKeeper.ledgers).toBeGreaterThanOrEqual(1);
    expect(tiers.bookKeeper.bytes).toBeGreaterThan(0);
    expect(new Date(tiers.readAt).toISOString()).toBe(tiers.readAt);
    expect(refused.body.type).toBe(`${PROBLEMS}stream-out-of-scope`);
    const missing = await clientAs(app, operator).get('/v1/streams/no-such-stream/tiers').expect(404);
    expect(missing.body.type).toBe(`${PROBLEMS}stream-not-found`);
    const openApi = (await clientAs(app, operator).get('/docs-json').expect(200)).body;
    expect(Object.keys(openApi.paths)).toContain('/v1/streams/{stream}/tiers');
  });

  it('pages through the audit log newest first, for admin keys only', async () => {
    const first = (await clientAs(app, operator).get('/admin/audit-log?limit=1').expect(200)).body;
    const second = (
      await clientAs(app, operator).get(`/admin/audit-log?limit=1&before=${first.next}`).expect(200)
    ).body;
    const consumer = await issueKey(app, 'consumer');

    expect(first.entries).toHaveLength(1);
    expect(Number(second.entries[0].id)).toBeLessThan(Number(first.entries[0].id));
    const recent = (await clientAs(app, operator).get('/admin/audit-log?limit=50').expect(200)).body.entries;
    expect(recent).toContainEqual(
      expect.objectContaining({ actor: operator.id, target: expect.stringContaining(other) }),
    );
    expect((await clientAs(app, operator).get('/admin/audit-log?limit=0').expect(400)).body.type).toBe(
      `${PROBLEMS}invalid-request`,
    );
    expect((await clientAs(app, consumer).get('/admin/audit-log').expect(403)).body.type).toBe(
      `${PROBLEMS}role-forbidden`,
    );
  });
});
