import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { currentTestLogFile } from './test-logs';
import { waitFor } from './wait-for';

const REPO_ROOT = resolve(__dirname, '..', '..');

export interface AppProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs an app as `npm run start:*` does (ts-node from the repo root), with extra environment variables.
 * Its output is kept for the caller and appended to a log, never printed: the test file's log
 * (.data/test-logs/) under Jest, else .data/logs/<app>.log (benchmarks start apps too).
 * `nodeArgs` go before the script (e.g. --cpu-prof, which NODE_OPTIONS refuses); `root` runs the app of
 * another checkout (a benchmark comparing two commits), this one's by default. An entry ending in `.js` (a
 * built app, as the Dockerfile runs it) runs with plain node.
 */
export function startApp(
  entry: string,
  env: Record<string, string>,
  { nodeArgs = [], root = REPO_ROOT }: { nodeArgs?: string[]; root?: string } = {},
): AppProcess {
  const tag = relative(root, resolve(root, entry));
  const log = typeof expect === 'undefined' ? benchLogFile(tag) : currentTestLogFile();
  mkdirSync(dirname(log), { recursive: true });
  const runner = entry.endsWith('.js') ? [] : [require.resolve('ts-node/dist/bin.js')];
  const child = spawn(process.execPath, [...nodeArgs, ...runner, entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  appendFileSync(log, `--- ${tag} (pid ${child.pid}) started\n`);
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    appendFileSync(log, chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    appendFileSync(log, chunk);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => ({ stdout, stderr }), exit };
}

function benchLogFile(tag: string): string {
  return join(REPO_ROOT, '.data', 'logs', `${tag.replace(/[/\\]/g, '_')}.log`);
}

/** A TCP port nobody listens on right now, so parallel runs never collide. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}

/** Kills the app at once if it still runs and waits for its exit: a test leaves no process behind. */
export async function killApp(app: AppProcess | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGKILL');
  await app.exit;
}

/** Waits until the app, still running, answers `url` (its /health) with a 2xx. */
export async function waitForApp(app: AppProcess, url: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => app.child.exitCode === null && (await fetch(url).then((r) => r.ok)), {
    timeoutMs,
    description: `${url} to answer`,
  });
}
