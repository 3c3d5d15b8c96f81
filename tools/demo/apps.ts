import type { GyreConfig } from '@gyre/config';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../stack/paths';
import { waitFor } from '../testing/wait-for';

/** The API and the workers as child processes of a demo command. */
export interface RunningApps {
  /** SIGTERM to both; they drain and exit. */
  stopAll(): void;
  /** Resolves with 0 once both exited cleanly, 1 otherwise. */
  exited(): Promise<number>;
}

/** Starts the API and the workers (ts-node), stops them on Ctrl-C, and waits until both report healthy. */
export async function startApps(config: GyreConfig): Promise<RunningApps> {
  const apps = [
    { name: 'api', entry: 'apps/api/src/main.ts', port: config.api.port },
    { name: 'workers', entry: 'apps/workers/src/main.ts', port: config.workers.port },
  ];
  const children = apps.map((app) => startApp(app.name, app.entry));
  const stopAll = () => children.forEach((child) => child.kill('SIGTERM'));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  const running: RunningApps = {
    stopAll,
    exited: async () => {
      const codes = await Promise.all(children.map((child) => exited(child)));
      return codes.every((code) => code === 0) ? 0 : 1;
    },
  };
  try {
    for (const app of apps) {
      await waitFor(() => healthy(app.port), {
        timeoutMs: 120_000,
        intervalMs: 500,
        description: `${app.name} /health`,
      });
    }
  } catch (error) {
    stopAll();
    await running.exited();
    throw error;
  }
  return running;
}

function startApp(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', '.bin', 'ts-node'), entry], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) process.stderr.write(`demo: ${name} exited with code ${code}\n`);
  });
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 0);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}
