import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { LoadPlan, StepResult } from './http-load';

/** Runs bench/http-load.ts in its own process and returns one result per step. */
export function runLoad(plan: LoadPlan, children: Set<ChildProcess>): Promise<StepResult[]> {
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), 'bench/http-load.ts'], {
    cwd: resolve(__dirname, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  child.stdin!.end(JSON.stringify(plan));
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((done, fail) =>
    child.on('exit', (code) => {
      children.delete(child);
      if (code !== 0) return fail(new Error(`the load generator exited with ${code}`));
      done(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as StepResult),
      );
    }),
  );
}

export function checkFailures(what: string, result: StepResult): void {
  if (result.failures > 0)
    throw new Error(`${what}: ${result.failures} failed requests, e.g. ${result.failureSamples.join(' | ')}`);
}
