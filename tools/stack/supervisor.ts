import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';

/** A long-running service process of the local stack: detached, with its pid and log under .data/. */
export interface ServiceProcess {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  pidFile: string;
  logFile: string;
  uid?: number;
  gid?: number;
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts the process in its own process group so `stop` can end it with every child it spawned. */
export function startDetached(service: ServiceProcess): number {
  mkdirSync(dirname(service.pidFile), { recursive: true });
  mkdirSync(dirname(service.logFile), { recursive: true });
  const log = openSync(service.logFile, 'a');
  try {
    const child = spawn(service.command, service.args, {
      cwd: service.cwd,
      env: service.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
      uid: service.uid,
      gid: service.gid,
    });
    if (child.pid === undefined) throw new Error(`${service.name} could not be spawned`);
    child.unref();
    writeFileSync(service.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM to the whole process group, then SIGKILL after `graceMs`; resolves when nothing is left. */
export async function stopProcessGroup(pidFile: string, graceMs = 20_000): Promise<boolean> {
  const pid = readPid(pidFile);
  if (!isAlive(pid)) {
    rmSync(pidFile, { force: true });
    return false;
  }
  signalGroup(pid!, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await delay(200);
  if (isAlive(pid)) signalGroup(pid!, 'SIGKILL');
  while (isAlive(pid)) await delay(100);
  rmSync(pidFile, { force: true });
  return true;
}

/** SIGKILL to the whole group at once, no SIGTERM first: a crash, for tests of what survives one. */
export async function killProcessGroup(pidFile: string): Promise<void> {
  const pid = readPid(pidFile);
  if (isAlive(pid)) signalGroup(pid!, 'SIGKILL');
  while (isAlive(pid)) await delay(100);
  rmSync(pidFile, { force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last lines of a log, to quote in an error when a service died during start-up. */
export function tail(file: string, lines = 5): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
