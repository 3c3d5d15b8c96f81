import { ConfigurationError, loadGyreConfig } from '@gyre/config';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { StackError } from '../stack/errors';
import { dataDir, repoRoot } from '../stack/paths';
import { LocalStack } from '../stack/stack';
import { waitFor } from '../testing/wait-for';
import { DEMO_KEY_NAME, ensureDemoAdminKey } from './demo-admin-key';

/**
 * The main job on the local stack: brings the stack up, starts the API and the workers, waits until
 * both report healthy, prints where everything is, and runs until Ctrl-C (the stack keeps running).
 * With --check it stops the apps again once they are healthy (used to verify a fresh clone).
 */
async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const stack = new LocalStack(undefined, (line) => process.stdout.write(`stack: ${line}\n`));
  await stack.up();
  const config = loadGyreConfig();
  const apps = [
    { name: 'api', entry: 'apps/api/src/main.ts', port: config.api.port },
    { name: 'workers', entry: 'apps/workers/src/main.ts', port: config.workers.port },
  ];
  const children = apps.map((app) => startApp(app.name, app.entry));
  const stopAll = () => children.forEach((child) => child.kill('SIGTERM'));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);

  for (const app of apps) {
    await waitFor(() => healthy(app.port), {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: `${app.name} /health`,
    });
  }
  const keyFile = join(dataDir, 'demo-admin-key');
  const adminKey = await ensureDemoAdminKey(config, keyFile);
  const api = `http://127.0.0.1:${config.api.port}`;
  process.stdout.write(
    [
      '',
      'Gyre is running on the local stack:',
      `  API            ${api}   (OpenAPI: /docs, health: /health)`,
      `  Workers        http://127.0.0.1:${config.workers.port}   (health: /health, metrics: /metrics)`,
      `  Pulsar         ${config.pulsar.serviceUrl}   (admin: ${config.pulsar.adminUrl})`,
      `  S3             ${config.s3.endpoint ?? `AWS ${config.s3.region}`}   (buckets: ${Object.values(config.s3.buckets).join(', ')})`,
      `  Postgres       ${config.database.url.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:***@')}`,
      '',
      `Admin API key "${DEMO_KEY_NAME}" (local demo only; saved in .data/demo-admin-key, reused next run):`,
      `  ${adminKey}`,
      `  curl -H "Authorization: Bearer ${adminKey}" ${api}/admin/streams`,
      '  More keys: POST /admin/api-keys, or `npm run api-key -- create --role producer --name <name>`',
      '',
      check
        ? 'Check passed; stopping the apps.'
        : 'Ctrl-C stops the apps; `npm run stack -- down` stops the stack.',
      '',
    ].join('\n'),
  );
  if (check) stopAll();
  const codes = await Promise.all(children.map((child) => exited(child)));
  return codes.every((code) => code === 0) ? 0 : 1;
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
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo: ${error instanceof StackError || error instanceof ConfigurationError ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
