import request from 'supertest';
import { Client } from '@gyre/pulsar';
import { DataSource } from 'typeorm';
import {
  ALL_SERVICES_UP,
  AppProcess,
  freePort,
  killApp,
  startApp,
  tcpConnect,
  testLogger,
  useNestApp,
  waitForApp,
} from '../../../tools/testing';
import { createWorkersApp } from '../src/workers-app';

describe('workers on the real stack', () => {
  const fixture = useNestApp(() => createWorkersApp(testLogger('warn')));

  it('reports pulsar, database and s3 up, each separately, at GET /health', async () => {
    const response = await request(fixture.app.getHttpServer()).get('/health').expect(200);

    expect(response.body).toMatchObject(ALL_SERVICES_UP);
  });

  it('exposes measured process metrics at GET /metrics in the Prometheus text format', async () => {
    const response = await request(fixture.app.getHttpServer()).get('/metrics').expect(200);

    expect(response.headers['content-type']).toMatch(/^text\/plain; .*version=0\.0\.4/);
    const uptime = Number(/^process_uptime_seconds (\S+)$/m.exec(response.text)?.[1]);
    const rss = Number(/^process_resident_memory_bytes (\S+)$/m.exec(response.text)?.[1]);
    expect(uptime).toBeGreaterThan(0);
    expect(rss).toBeGreaterThan(1024 * 1024);
    expect(response.text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(response.text).toMatch(/^nodejs_eventloop_delay_seconds\{quantile="0.99"\} \S+$/m);
  });

  it('leaves the schema to the API: its DataSource does not run migrations', () => {
    expect(fixture.app.get(DataSource).options.migrationsRun).toBe(false);
  });
});

describe('the workers process and its Pulsar client', () => {
  afterEach(() => jest.restoreAllMocks());

  // Every client a process builds is closed at shutdown, so the clients closed are the clients built.
  it('builds one Pulsar client, shared by the stage runtime and the replay runner, and closes it at shutdown', async () => {
    const closed = new Set<Client>();
    const close = Client.prototype.close;
    jest.spyOn(Client.prototype, 'close').mockImplementation(function (this: Client) {
      closed.add(this);
      return close.call(this);
    });
    const workers = await createWorkersApp(testLogger('warn'));
    await workers.init();

    await workers.close();

    expect([...closed]).toEqual([workers.get(Client)]);
  });
});

describe('workers process', () => {
  let running: AppProcess | undefined;

  afterEach(async () => {
    await killApp(running);
    running = undefined;
  });

  it('refuses to start, exiting 1 and naming the key, when WORKERS_PORT is malformed', async () => {
    running = startApp('apps/workers/src/main.ts', { WORKERS_PORT: '0' });

    expect(await running.exit).toEqual({ code: 1, signal: null });
    expect(running.output().stderr).toContain(
      'WORKERS_PORT must be an integer from 1 to 65535 (got \\"0\\")',
    );
  });

  // Linux routes all of 127.0.0.0/8 to loopback: 127.0.0.2 is a second local address on every test machine.
  it('serves /health and /metrics on WORKERS_HOST only, not on every interface', async () => {
    const port = await freePort();
    const workers = startApp('apps/workers/src/main.ts', {
      WORKERS_HOST: '127.0.0.2',
      WORKERS_PORT: String(port),
      API_PORT: String(await freePort()),
    });
    running = workers;
    await waitForApp(workers, `http://127.0.0.2:${port}/health`);

    expect(await tcpConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
    expect(workers.output().stdout).toContain(`"msg":"workers listening","host":"127.0.0.2","port":${port}`);
  });

  it('closes cleanly and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const workers = startApp('apps/workers/src/main.ts', {
      WORKERS_PORT: String(port),
      API_PORT: String(await freePort()),
    });
    running = workers;
    await waitForApp(workers, `http://127.0.0.1:${port}/health`);

    workers.child.kill('SIGTERM');

    expect(await workers.exit).toEqual({ code: 0, signal: null });
    expect(workers.output().stdout).toContain('"msg":"workers shut down","signal":"SIGTERM"');
  });
});
