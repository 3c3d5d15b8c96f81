import type { GyreConfig } from '@gyre/config';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dataDir, repoRoot } from '../stack/paths';
import { waitFor } from '../testing/wait-for';
import { appUrl } from './app-url';

/** The API and the workers as child processes of a demo command. */
export interface RunningApps {
  /** Where each app's JSON log lines go (relative to the repository), so the demo's own output stays readable. */
  logFiles: Record<string, string>;
  /** SIGTERM to both; they drain and exit. */
  stopAll(): void;
  /** Resolves with 0 once both exited cleanly, 1 otherwise. */
  exited(): Promise<number>;
}

/**
 * Starts the API and the workers (ts-node) with the fraud-loop example composed in (its own entry points),
 * stops them on Ctrl-C, and waits until both report healthy.
 */
export async function startApps(config: GyreConfig): Promise<RunningApps> {
  const apps = [
    {
      name: 'api',
      entry: 'examples/fraud-loop/src/main-api.ts',
      url: appUrl(config.api.host, config.api.port),
    },
    {
      name: 'workers',
      entry: 'examples/fraud-loop/src/main-workers.ts',
      url: appUrl(config.workers.host, config.workers.port),
    },
  ];
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFiles = Object.fromEntries(apps.map((app) => [app.name, join(logDir, `${app.name}.log`)]));
  const children = apps.map((app) => startApp(app.name, app.entry, logFiles[app.name]));
  const stopAll = () => children.forEach((child) => child.kill('SIGTERM'));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  const running: RunningApps = {
    logFiles: Object.fromEntries(
      Object.entries(logFiles).map(([name, file]) => [name, relative(repoRoot, file)]),
    ),
    stopAll,
    exited: async () => {
      const codes = await Promise.all(children.map((child) => exited(child)));
      return codes.every((code) => code === 0) ? 0 : 1;
    },
  };
  try {
    for (const app of apps) {
      await waitFor(() => healthy(app.url), {
        timeoutMs: 120_000,
        intervalMs: 500,
        description: `${app.name} /health`,
      });
    }
  } catch (error) {
    stopAll();
    await running.exited();
    for (const [name, file] of Object.entries(logFiles))
      process.stderr.write(
        `demo: last lines of ${name}'s log (${relative(repoRoot, file)}):\n${tail(file, 20)}\n`,
      );
    throw error;
  }
  return running;
}

function startApp(name: string, entry: string, logFile: string): ChildProcess {
  // Each run starts its log afresh; the child writes to the file directly, so nothing is lost on a crash.
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', '.bin', 'ts-node'), entry], {
    cwd: repoRoot,
    stdio: ['ignore', log, log],
    // The demo saves a pipeline and posts at once: its workers look for it every second, not every 5 (the
    // default), unless the environment says otherwise.
    env: { WORKERS_PIPELINE_POLL_INTERVAL_MS: '1000', ...process.env },
  });
  closeSync(log);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null)
      process.stderr.write(`demo: ${name} exited with code ${code}; see ${relative(repoRoot, logFile)}\n`);
  });
  return child;
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 0);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}
