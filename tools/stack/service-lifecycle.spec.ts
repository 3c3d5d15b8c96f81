import { mkdtempSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackError } from './errors';
import { ensureServiceUp } from './service-lifecycle';
import { isAlive, readPid, ServiceProcess, stopProcessGroup } from './supervisor';

function service(script: string): ServiceProcess {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-svc-'));
  return {
    name: 'fake',
    command: process.execPath,
    args: ['-e', script],
    cwd: dir,
    pidFile: join(dir, 'pid'),
    logFile: join(dir, 'fake.log'),
  };
}

async function rejection(promise: Promise<unknown>): Promise<StackError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error('expected a StackError');
}

describe(ensureServiceUp.name, () => {
  let stranger: Server | undefined;

  afterEach(() => stranger?.close());

  it('refuses to start when a port is held by a process it did not start, naming the port', async () => {
    stranger = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => stranger!.once('listening', resolve));
    const port = (stranger.address() as { port: number }).port;
    const error = await rejection(
      ensureServiceUp(service('setInterval(() => {}, 1000)'), [port], async () => true, 5000),
    );
    expect(error.code).toBe('PORT_IN_USE');
    expect(error.message).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });

  it('reports a service that dies during start-up with the last line of its log and the log path', async () => {
    const dying = service('console.error("fatal: bind failed"); process.exit(3)');
    const error = await rejection(ensureServiceUp(dying, [], async () => false, 10_000));
    expect(error.code).toBe('SERVICE_DIED');
    expect(error.message).toContain('fatal: bind failed');
    expect(error.logFile).toBe(dying.logFile);
    expect(error.message).toContain(dying.logFile);
  });

  it('leaves a healthy running service alone and stops it with its whole process group', async () => {
    const sleeper = service('setInterval(() => {}, 1000)');
    const first = await ensureServiceUp(sleeper, [], async () => true, 5000);
    const second = await ensureServiceUp(sleeper, [], async () => true, 5000);
    expect(second.pid).toBe(first.pid);
    expect(await stopProcessGroup(sleeper.pidFile, 5000)).toBe(true);
    expect(isAlive(first.pid)).toBe(false);
    expect(readPid(sleeper.pidFile)).toBeUndefined();
  });

  it('gives up with the log path when the service never becomes healthy', async () => {
    const mute = service('setInterval(() => {}, 1000)');
    const error = await rejection(ensureServiceUp(mute, [], async () => false, 600));
    expect(error.code).toBe('SERVICE_TIMEOUT');
    expect(error.logFile).toBe(mute.logFile);
    await stopProcessGroup(mute.pidFile, 5000);
  });
});
