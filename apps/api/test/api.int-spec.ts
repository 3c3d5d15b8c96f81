import { MIGRATIONS, migrationStatus } from '@gyre/database';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  ALL_SERVICES_UP,
  AppProcess,
  freePort,
  killApp,
  startApp,
  tcpConnect,
  testLogger,
  uniqueName,
  useNestApp,
  waitForApp,
} from '../../../tools/testing';
import { createApiApp } from '../src/api-app';

describe('API on the real stack', () => {
  const fixture = useNestApp(() => createApiApp(testLogger('warn')));

  it('reports pulsar, database and s3 up, each separately, at GET /health', async () => {
    const response = await request(fixture.app.getHttpServer()).get('/health').expect(200);

    expect(response.body).toMatchObject(ALL_SERVICES_UP);
  });

  it('has run the migrations at start-up', async () => {
    const status = await migrationStatus(fixture.app.get(DataSource));

    expect(status.pending).toEqual([]);
    expect(status.applied).toEqual(
      expect.arrayContaining(MIGRATIONS.map((migration) => new migration().name)),
    );
  });

  it('answers an unknown route with 404 as application/problem+json', async () => {
    const path = `/${uniqueName('no-such-route')}`;

    const response = await request(fixture.app.getHttpServer()).get(`${path}?page=2`).expect(404);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toEqual({
      type: 'https://gyre.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: `Cannot GET ${path}?page=2`,
      instance: path,
    });
  });

  it('serves its OpenAPI document at /docs-json and Swagger UI at /docs', async () => {
    const document = await request(fixture.app.getHttpServer()).get('/docs-json').expect(200);
    expect(document.body).toMatchObject({
      openapi: expect.stringMatching(/^3\./),
      info: { title: 'Gyre API' },
    });
    expect(Object.keys(document.body.paths)).toContain('/health');

    await request(fixture.app.getHttpServer())
      .get('/docs')
      .expect(200)
      .expect('content-type', /text\/html/);
  });
});

describe('API process', () => {
  let running: AppProcess | undefined;

  afterEach(async () => {
    await killApp(running);
    running = undefined;
  });

  it('refuses to start, exiting 1 and naming the key, when PULSAR_SERVICE_URL is not a pulsar:// URL', async () => {
    running = startApp('apps/api/src/main.ts', {
      PULSAR_SERVICE_URL: 'bogus',
      API_PORT: String(await freePort()),
    });

    expect(await running.exit).toEqual({ code: 1, signal: null });
    const { stdout, stderr } = running.output();
    expect(stderr).toContain('PULSAR_SERVICE_URL must be a pulsar:// or pulsar+ssl:// URL (got \\"bogus\\")');
    expect(stdout).toBe('');
  });

  it('names every bad key at once, including a blank DATABASE_URL', async () => {
    running = startApp('apps/api/src/main.ts', { API_PORT: 'eighty', DATABASE_URL: '', LOG_LEVEL: 'chatty' });

    expect((await running.exit).code).toBe(1);
    const { stderr } = running.output();
    expect(stderr).toContain('API_PORT must be an integer from 1 to 65535');
    expect(stderr).toContain('LOG_LEVEL must be one of debug, info, warn, error');
    expect(stderr).toContain('DATABASE_URL is required');
  });

  // Linux routes all of 127.0.0.0/8 to loopback: 127.0.0.2 is a second local address on every test machine.
  it('listens on API_HOST only, not on every interface', async () => {
    const port = await freePort();
    running = startApp('apps/api/src/main.ts', {
      API_HOST: '127.0.0.2',
      API_PORT: String(port),
      WORKERS_PORT: String(await freePort()),
    });
    const api = running;
    await waitForApp(api, `http://127.0.0.2:${port}/health`);

    expect(await tcpConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
    expect(api.output().stdout).toContain(`"msg":"API listening","host":"127.0.0.2","port":${port}`);
  });

  it('closes cleanly and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    running = startApp('apps/api/src/main.ts', {
      API_PORT: String(port),
      WORKERS_PORT: String(await freePort()),
    });
    const api = running;
    await waitForApp(api, `http://127.0.0.1:${port}/health`);

    api.child.kill('SIGTERM');

    expect(await api.exit).toEqual({ code: 0, signal: null });
    expect(api.output().stdout).toContain('"msg":"API shut down","signal":"SIGTERM"');
  });
});
