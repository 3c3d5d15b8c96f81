import { ConfigurationError, loadGyreConfig } from '@gyre/config';
import { join } from 'node:path';
import { StackError } from '../stack/errors';
import { dataDir } from '../stack/paths';
import { LocalStack } from '../stack/stack';
import { appUrl } from './app-url';
import { startApps } from './apps';
import { DEMO_KEY_NAME, ensureDemoAdminKey } from './demo-admin-key';
import { driftArg } from './drift-arg';
import { labelDelaysArg } from './label-delays-arg';
import { runReferenceLoop } from './reference-loop-run';

/**
 * The main job on the local stack: brings the stack up, starts the API and the workers, waits until
 * both report healthy, prints where everything is, and runs until Ctrl-C (the stack keeps running).
 * Then it runs the reference fraud loop for six epochs of a drifting world (--drift none|gradual|sudden,
 * default sudden) and ends with the loop against a frozen model trained on the history, with intervals and a
 * verdict (--no-loop skips it).
 * With --check it stops the apps again once that is done (used to verify a fresh clone).
 */
async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const stack = new LocalStack(undefined, (line) => process.stdout.write(`stack: ${line}\n`));
  await stack.up();
  const config = loadGyreConfig();
  const apps = await startApps(config);
  const keyFile = join(dataDir, 'demo-admin-key');
  const adminKey = await ensureDemoAdminKey(config, keyFile);
  const api = appUrl(config.api.host, config.api.port);
  process.stdout.write(
    [
      '',
      'Gyre is running on the local stack:',
      `  API            ${api}   (OpenAPI: /docs, health: /health)`,
      `  Workers        ${appUrl(config.workers.host, config.workers.port)}   (health: /health, metrics: /metrics)`,
      `  Pulsar         ${config.pulsar.serviceUrl}   (admin: ${config.pulsar.adminUrl})`,
      `  S3             ${config.s3.endpoint ?? `AWS ${config.s3.region}`}   (buckets: ${Object.values(config.s3.buckets).join(', ')})`,
      `  Postgres       ${config.database.url.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:***@')}`,
      `  Logs           ${Object.values(apps.logFiles).join(', ')}   (JSON lines; the stack's: npm run stack -- logs)`,
      '',
      `Admin API key "${DEMO_KEY_NAME}" (local demo only; saved in .data/demo-admin-key, reused next run):`,
      `  ${adminKey}`,
      `  curl -H "Authorization: Bearer ${adminKey}" ${api}/admin/streams`,
      '  More keys: POST /admin/api-keys, or `npm run api-key -- create --role producer --name <name>`',
      '',
    ].join('\n'),
  );
  if (!argv.includes('--no-loop')) {
    process.stdout.write('The reference fraud loop (npm run demo:loop runs it alone; --no-loop skips it):\n');
    try {
      await runReferenceLoop(
        config,
        adminKey,
        {
          epochs: 6,
          eventsPerEpoch: 2000,
          seed: 'gyre-demo',
          drift: driftArg(argv),
          labelDelays: labelDelaysArg(argv),
        },
        (line) => process.stdout.write(`loop: ${line}\n`),
      );
    } catch (error) {
      // The apps stay up for exploring; a check fails.
      process.stderr.write(
        `demo: the reference loop failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (check) {
        apps.stopAll();
        await apps.exited();
        return 1;
      }
    }
  }
  process.stdout.write(
    check
      ? 'Check passed; stopping the apps.\n'
      : 'Ctrl-C stops the apps; `npm run stack -- down` stops the stack.\n',
  );
  if (check) apps.stopAll();
  return apps.exited();
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
