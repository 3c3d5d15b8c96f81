import type { INestApplication } from '@nestjs/common';
import { AuditLogEntry } from '@gyre/database';
import { Client } from '@gyre/pulsar';
import { PipelineService } from '@gyre/pipelines';
import { ReplayRunner } from '@gyre/replay';
import { DataSource } from 'typeorm';
import { uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { CLICK_SCHEMA, endpoints, readStream, startApiWith } from './streams-helpers';

interface Sent {
  key: string;
  data: string;
  properties: Record<string, string>;
}

describe('/admin/replays on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  let pulsar: Client;
  const http = () => clientAs(app, operator);
  const topicOf = (stream: string) => `persistent://gyre/streams/${stream}`;

  async function createStream(partitions = 2): Promise<string> {
    const name = uniqueName('it-replay-src');
    await http()
      .post('/admin/streams')
      .send({ name, ownerTeam: 'ml', partitions, schema: CLICK_SCHEMA })
      .expect(201);
    return name;
  }

  async function publish(stream: string, count: number, round = 'a'): Promise<Sent[]> {
    const producer = await pulsar.createProducer({ topic: topicOf(stream), batchingMaxPublishDelayMs: 5 });
    const sent = Array.from({ length: count }, (_, i) => ({
      key: `user-${i % 5}`,
      data: JSON.stringify({ user: `ü-${i} "✓"`, amount: i, round }),
      properties: { round, parity: i % 2 === 0 ? 'even' : 'odd' },
    }));
    await Promise.all(
      sent.map((event) =>
        producer.send({
          data: Buffer.from(event.data),
          partitionKey: event.key,
          properties: event.properties,
        }),
      ),
    );
    await producer.close();
    return sent;
  }

  const job = async (id: string) => (await http().get(`/admin/replays/${id}`).expect(200)).body;
  const waitForState = (id: string, state: string) =>
    waitFor(async () => ((await job(id)).state === state ? job(id) : undefined), {
      timeoutMs: 60_000,
      description: `replay ${id} to be ${state}`,
    });
  const byKey = (events: Array<{ key?: string; data: string }>) => {
    const keys = new Map<string, string[]>();
    for (const event of events) keys.set(event.key ?? '', [...(keys.get(event.key ?? '') ?? []), event.data]);
    return Object.fromEntries([...keys].sort(([a], [b]) => a.localeCompare(b)));
  };

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
    pulsar = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
    app.get(ReplayRunner).start();
  });
  afterAll(async () => {
    await app?.get(ReplayRunner).stop();
    await pulsar?.close();
    await app?.close();
  });

  it('refuses an unknown source, malformed positions, an end before its start and unknown jobs as problems', async () => {
    const source = await createStream(1);
    const target = { kind: 'stream', stream: uniqueName('it-replay-dst') };

    const unknown = await http()
      .post('/admin/replays')
      .send({ source: 'no-such-stream', target })
      .expect(422);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-replay',
      errors: [{ pointer: '/source' }],
    });
    const badStart = await http()
      .post('/admin/replays')
      .send({ source, target, start: { messageId: 'x!' } })
      .expect(422);
    expect(badStart.body.errors).toEqual([expect.objectContaining({ pointer: '/start/messageIds/0' })]);
    const reversed = await http()
      .post('/admin/replays')
      .send({ source, target, start: { timestamp: 2000 }, end: { timestamp: 1000 } })
      .expect(422);
    expect(reversed.body.errors).toEqual([expect.objectContaining({ pointer: '/end/timestamp' })]);
    await http()
      .post('/admin/replays')
      .send({ source, target, start: { messageId: '10:5:0' }, end: { messageId: '10:4:0' } })
      .expect(422);
    const noPipeline = await http()
      .post('/admin/replays')
      .send({
        source,
        target: {
          kind: 'pipelineStage',
          pipeline: 'no-such-pipeline',
          stage: 'prepare',
          featureDefinition: 'fraud.card-features@2',
        },
      })
      .expect(422);
    expect(noPipeline.body.errors).toEqual([expect.objectContaining({ pointer: '/target/pipeline' })]);
    const unknownDefinition = await http()
      .post('/admin/replays')
      .send({
        source,
        target: {
          kind: 'pipelineStage',
          pipeline: 'p',
          stage: 'prepare',
          featureDefinition: 'fraud.card-features@99',
        },
      })
      .expect(422);
    expect(unknownDefinition.body.errors).toEqual([
      expect.objectContaining({ pointer: '/target/featureDefinition' }),
    ]);
    await http().get('/admin/replays/00000000-0000-4000-8000-000000000000').expect(404);
    await http().get('/admin/replays/00000000-0000-4000-8000-000000000000/dataset').expect(404);
    await http().get('/admin/replays/not-a-uuid').expect(404);
  });

  it('switches a pipeline stage to another feature definition version in one call, refusing stale or unknown ones', async () => {
    const pipelines = app.get(PipelineService);
    const name = uniqueName('it-switch');
    const input = await createStream(1);
    await pipelines.save(name, {
      stages: [
        {
          name: 'prepare',
          input: { stream: input, subscription: `${name}.prepare`, subscriptionType: 'Key_Shared' },
          handler: 'fraud.prepare.v1',
          outputs: [`${input}-features`],
          parameters: { output: `${input}-features` },
        },
      ],
    });
    try {
      const before = await pipelines.get(name);
      const switched = await http()
        .post(`/admin/pipelines/${name}/feature-version`)
        .send({ featureDefinition: 'fraud.card-features@2' })
        .expect(200);
      expect(switched.body).toEqual({
        pipeline: name,
        version: before.version + 1,
        stage: 'prepare',
        featureDefinition: 'fraud.card-features@2',
        previous: null,
      });
      expect((await pipelines.get(name)).definition.stages[0].parameters.featureDefinition).toBe(
        'fraud.card-features@2',
      );
      const stale = await http()
        .post(`/admin/pipelines/${name}/feature-version`)
        .send({ featureDefinition: 'fraud.card-features@1', expectedVersion: before.version })
        .expect(409);
      expect(stale.body.type).toBe('https://gyre.dev/problems/pipeline-version-conflict');
      const unknown = await http()
        .post(`/admin/pipelines/${name}/feature-version`)
        .send({ featureDefinition: 'fraud.card-features@99' })
        .expect(422);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ pointer: '/featureDefinition' })]);
      await http()
        .post(`/admin/pipelines/${name}/feature-version`)
        .send({ featureDefinition: 'fraud.card-features@1', stage: 'infer' })
        .expect(404);
      await http()
        .post('/admin/pipelines/no-such-pipeline/feature-version')
        .send({ featureDefinition: 'fraud.card-features@1' })
        .expect(404);
      const audit = await app
        .get(DataSource)
        .getRepository(AuditLogEntry)
        .findBy({ target: `pipeline/${name}`, action: 'pipeline.feature-version' });
      expect(audit).toHaveLength(1);
    } finally {
      await pipelines.delete(name);
    }
  });

  it('replays a stream into a new stream: every event byte for byte, in order per key, none published after the start', async () => {
    const source = await createStream();
    const published = await publish(source, 60);
    const target = uniqueName('it-replay-dst');

    const created = await http()
      .post('/admin/replays')
      .send({ source, target: { kind: 'stream', stream: target } });
    expect(created.status).toBe(201);
    await publish(source, 7, 'late'); // after the job started: beyond "the last message at start"
    const done = await waitForState(created.body.id, 'completed');

    expect(done).toMatchObject({ events: 60, scanned: 60, etaSeconds: 0 });
    expect(done.partitions).toHaveLength(2);
    expect(done.partitions.every((partition: { done: boolean }) => partition.done)).toBe(true);
    expect(done.bytes).toBe(published.reduce((sum, event) => sum + Buffer.byteLength(event.data), 0));
    const replayed = await readStream(topicOf(target));
    expect(byKey(replayed)).toEqual(byKey(published));
    expect(replayed.every((event) => event.properties.round === 'a')).toBe(true);
    expect(new Set(replayed.map((event) => event.properties['gyre-event-id'])).size).toBe(60);
    expect(replayed.every((event) => event.properties['gyre-replay-job'] === created.body.id)).toBe(true);
    const audit = await app
      .get(DataSource)
      .getRepository(AuditLogEntry)
      .findBy({ target: `replay/${created.body.id}` });
    expect(audit).toMatchObject([{ actor: operator.id, action: 'replay.create' }]);
    expect((await http().get('/admin/replays').expect(200)).body.map((j: { id: string }) => j.id)).toContain(
      created.body.id,
    );
  });

  it('replays only the events whose key and properties match the filter', async () => {
    const source = await createStream();
    const published = await publish(source, 40);
    const target = uniqueName('it-replay-dst');

    const created = await http()
      .post('/admin/replays')
      .send({
        source,
        target: { kind: 'stream', stream: target },
        filter: { key: { prefix: 'user-1' }, properties: { parity: 'odd' } },
      })
      .expect(201);
    const done = await waitForState(created.body.id, 'completed');

    const expected = published.filter((event) => event.key === 'user-1' && event.properties.parity === 'odd');
    expect(done).toMatchObject({ events: expected.length, scanned: 40 });
    expect(byKey(await readStream(topicOf(target)))).toEqual(byKey(expected));
  });

  it('pauses, resumes and cancels a running replay, refusing transitions its state does not allow with 409', async () => {
    const source = await createStream(1);
    await publish(source, 80);
    const target = uniqueName('it-replay-dst');
    const created = await http()
      .post('/admin/replays')
      .send({ source, target: { kind: 'stream', stream: target }, rateLimit: { eventsPerSecond: 20 } })
      .expect(201);
    const id = created.body.id;
    await waitFor(async () => (await job(id)).events > 0, { description: 'the replay to make progress' });

    expect((await http().post(`/admin/replays/${id}:pause`).expect(200)).body.state).toBe('paused');
    await waitFor(() => !app.get(ReplayRunner).running().includes(id), {
      description: 'the runner to let go',
    });
    const paused = await job(id);
    const conflict = await http().post(`/admin/replays/${id}:pause`).expect(409);
    expect(conflict.body.type).toBe('https://gyre.dev/problems/replay-state-conflict');
    expect((await job(id)).partitions[0].lastId).toBe(paused.partitions[0].lastId);

    expect((await http().post(`/admin/replays/${id}:resume`).expect(200)).body.state).toBe('pending');
    await waitFor(async () => (await job(id)).events > paused.events, { description: 'the replay to go on' });
    expect((await http().post(`/admin/replays/${id}:cancel`).expect(200)).body.state).toBe('cancelled');
    await http().post(`/admin/replays/${id}:resume`).expect(409);
    await waitFor(() => !app.get(ReplayRunner).running().includes(id), { description: 'the runner to stop' });
    const actions = await app
      .get(DataSource)
      .getRepository(AuditLogEntry)
      .find({ where: { target: `replay/${id}` }, order: { id: 'ASC' } });
    expect(actions.map((entry) => entry.action)).toEqual([
      'replay.create',
      'replay.pause',
      'replay.resume',
      'replay.cancel',
    ]);
  });
});
