import type { INestApplication } from '@nestjs/common';
import { WorkerStatusStore } from '@gyre/pipelines';
import { Client } from '@gyre/pulsar';
import { DataSource } from 'typeorm';
import { uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey, TestKey } from './auth-helpers';
import { endpoints, startApiWith } from './streams-helpers';

const stage = (overrides: Record<string, unknown> = {}) => ({
  name: 'copy',
  input: { stream: 'it-pipeline-in' },
  handler: 'it.copy',
  outputs: ['it-pipeline-out'],
  ...overrides,
});
const PROBLEM = /^application\/problem\+json/;

describe('/admin/pipelines on the real stack', () => {
  let app: INestApplication;
  let operator: TestKey;
  const http = () => clientAs(app, operator);
  /** Pipelines this file created: removed at the end, so workers on the shared stack never see them. */
  const created: string[] = [];
  const pipelineName = (prefix: string) => {
    const name = uniqueName(prefix);
    created.push(name);
    return name;
  };

  beforeAll(async () => {
    app = await startApiWith({});
    operator = await issueKey(app, 'admin');
  });
  afterAll(async () => {
    if (app) await app.get(DataSource).query(`DELETE FROM gyre_pipelines WHERE name = ANY($1)`, [created]);
    await app?.close();
  });

  it('creates, lists, describes, updates (bumping the version only on change) and deletes a pipeline', async () => {
    const name = pipelineName('it-pipe');

    const created = await http()
      .post('/admin/pipelines')
      .send({ name, stages: [stage()] })
      .expect(201);
    expect(created.body).toMatchObject({ name, version: 1 });
    expect(created.body.definition.stages[0]).toMatchObject({
      input: { subscription: `${name}.copy`, subscriptionType: 'Shared', initialPosition: 'Latest' },
      concurrency: 8,
      retry: { maxAttempts: 5 },
    });
    const listed = await http().get('/admin/pipelines').expect(200);
    expect(listed.body.pipelines.map((p: { name: string }) => p.name)).toContain(name);
    expect((await http().get(`/admin/pipelines/${name}`).expect(200)).body).toEqual(created.body);

    const changed = await http()
      .put(`/admin/pipelines/${name}?expectedVersion=1`)
      .send({ stages: [stage({ concurrency: 2, batchSize: 16 })] })
      .expect(200);
    expect(changed.body).toMatchObject({
      version: 2,
      definition: { stages: [{ concurrency: 2, batchSize: 16 }] },
    });
    const same = await http()
      .put(`/admin/pipelines/${name}`)
      .send({ stages: [stage({ concurrency: 2, batchSize: 16 })] })
      .expect(200);
    expect(same.body.version).toBe(2);

    await http().delete(`/admin/pipelines/${name}`).expect(204);
    const gone = await http().get(`/admin/pipelines/${name}`).expect(404);
    expect(gone.body).toMatchObject({ type: 'https://gyre.dev/problems/pipeline-not-found', status: 404 });
  });

  it('refuses an invalid definition with every problem by JSON pointer, and stores nothing', async () => {
    const name = pipelineName('it-pipe-bad');

    const refused = await http()
      .post('/admin/pipelines')
      .send({
        name,
        stages: [
          stage({ concurrency: 0, input: { stream: 'x', subscriptionType: 'Key_Shared' }, batchSize: 0 }),
        ],
      })
      .expect(422);

    expect(refused.headers['content-type']).toMatch(PROBLEM);
    expect(refused.body).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-pipeline-definition',
      title: 'Invalid pipeline definition',
      status: 422,
      instance: '/admin/pipelines',
    });
    expect(refused.body.errors).toEqual([
      {
        pointer: '/stages/0/batchSize',
        detail: 'must be an integer from 1 to 10000',
      },
      { pointer: '/stages/0/concurrency', detail: 'must be an integer from 1 to 1000' },
    ]);
    await http().get(`/admin/pipelines/${name}`).expect(404);
    const noStages = await http().put(`/admin/pipelines/${name}`).send({}).expect(422);
    expect(noStages.body.errors).toEqual([{ pointer: '/stages', detail: 'must be a non-empty array' }]);
    const badName = await http()
      .post('/admin/pipelines')
      .send({ name: 'no spaces', stages: [stage()] })
      .expect(422);
    expect(badName.body.errors[0]).toMatchObject({ pointer: '/name' });
  });

  it('answers conflicts, unknown pipelines and malformed versions as problems', async () => {
    const name = pipelineName('it-pipe-conflict');
    await http()
      .post('/admin/pipelines')
      .send({ name, stages: [stage()] })
      .expect(201);

    const twice = await http()
      .post('/admin/pipelines')
      .send({ name, stages: [stage()] })
      .expect(409);
    expect(twice.body.type).toBe('https://gyre.dev/problems/pipeline-version-conflict');
    const stale = await http()
      .put(`/admin/pipelines/${name}?expectedVersion=7`)
      .send({ stages: [stage({ concurrency: 3 })] })
      .expect(409);
    expect(stale.body.detail).toBe(`pipeline "${name}" is at version 1, not 7`);
    const malformed = await http()
      .put(`/admin/pipelines/${name}?expectedVersion=x`)
      .send({ stages: [stage()] });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-request',
      errors: [{ pointer: '/expectedVersion' }],
    });
    for (const [method, path] of [
      ['delete', '/admin/pipelines/it-pipe-never'],
      ['get', '/admin/pipelines/it-pipe-never/status'],
      ['put', '/admin/pipelines/it-pipe-never?expectedVersion=2'],
    ] as const) {
      const agent = http();
      const response = await agent[method](path).send({ stages: [stage()] });
      expect({ path, status: response.status, type: response.body.type }).toEqual({
        path,
        status: 404,
        type: 'https://gyre.dev/problems/pipeline-not-found',
      });
      expect(response.headers['content-type']).toMatch(PROBLEM);
    }
    expect((await http().get(`/admin/pipelines/${name}`).expect(200)).body.version).toBe(1);
  });

  it('refuses keys without the admin role', async () => {
    const producer = await issueKey(app, 'producer');

    const refused = await clientAs(app, producer).get('/admin/pipelines').expect(403);

    expect(refused.headers['content-type']).toMatch(PROBLEM);
  });

  it("shows each stage's lag and each worker's last report, with stale workers left out of the totals", async () => {
    const name = pipelineName('it-pipe-status');
    const input = uniqueName('it-status-in');
    await http()
      .post('/admin/pipelines')
      .send({
        name,
        stages: [stage({ input: { stream: input } }), stage({ name: 'idle', input: { stream: input } })],
      })
      .expect(201);
    const pulsar = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
    try {
      const topic = `persistent://gyre/streams/${input}`;
      const consumer = await pulsar.subscribe({ topic, subscription: `${name}.copy` });
      const producer = await pulsar.createProducer({ topic, batchingEnabled: false });
      for (let n = 0; n < 5; n++) await producer.send({ data: Buffer.from(`{"n":${n}}`) });
      await producer.close();
      await consumer.close();
    } finally {
      await pulsar.close();
    }
    const workers = app.get(WorkerStatusStore);
    const report = (id: string, processed: number) =>
      workers.report({ id, host: 'it-host', pid: 1, startedAt: new Date() }, [
        {
          pipeline: name,
          stage: 'copy',
          handler: 'it.copy',
          state: 'running',
          inFlight: 1,
          processed,
          retried: 2,
          deadLettered: 1,
        },
      ]);
    const fresh = uniqueName('it-worker');
    const gone = uniqueName('it-worker-gone');
    await report(fresh, 40);
    await report(gone, 7);
    await app
      .get(DataSource)
      .query(`UPDATE gyre_workers SET last_seen = now() - interval '5 minutes' WHERE id = $1`, [gone]);

    const status = await waitFor(
      async () => {
        const body = (await http().get(`/admin/pipelines/${name}/status`).expect(200)).body;
        return body.stages[0].lag === 5 && body;
      },
      { description: 'the backlog of five events' },
    );

    expect(status).toMatchObject({ pipeline: name, version: 1 });
    const [copy, idle] = status.stages;
    expect(copy).toMatchObject({
      name: 'copy',
      input: { stream: input, subscription: `${name}.copy` },
      processed: 40,
      failures: { retried: 2, deadLettered: 1 },
      inFlight: 1,
    });
    type Row = { worker: string; stale: boolean; state: string; lastReportedState: string };
    expect(copy.workers.map((w: Row) => [w.worker, w.stale, w.state, w.lastReportedState]).sort()).toEqual(
      [
        [fresh, false, 'running', 'running'],
        [gone, true, 'gone', 'running'],
      ].sort(),
    );
    expect(idle).toMatchObject({ name: 'idle', lag: null, processed: 0, workers: [] });
    await workers.remove(fresh);
    await workers.remove(gone);
  });
});
