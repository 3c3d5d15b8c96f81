import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(__dirname, '../bin/gyre.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  done: Promise<CliRun>;
}

/** Starts `gyre <args>` as its own process, the way a person runs it (bin shim, ts-node), with URL and key. */
export function startCli(args: string[], env: { url: string; key?: string }, stdin?: string): RunningCli {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('GYRE_API')),
  );
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...inherited, GYRE_API_URL: env.url, ...(env.key ? { GYRE_API_KEY: env.key } : {}) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(stdin ?? '');
  const done = new Promise<CliRun>((finish) => child.on('close', (code) => finish({ code, stdout, stderr })));
  return { child, output: () => ({ stdout, stderr }), done };
}

export function runCli(args: string[], env: { url: string; key?: string }, stdin?: string): Promise<CliRun> {
  return startCli(args, env, stdin).done;
}
