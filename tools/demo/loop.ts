import { ConfigurationError, loadGyreConfig } from '@gyre/config';
import { join } from 'node:path';
import { StackError } from '../stack/errors';
import { dataDir } from '../stack/paths';
import { LocalStack } from '../stack/stack';
import { startApps } from './apps';
import { DEMO_KEY_NAME, ensureDemoAdminKey } from './demo-admin-key';
import { driftArg } from './drift-arg';
import { labelDelaysArg } from './label-delays-arg';
import { runReferenceLoop } from './reference-loop-run';

/**
 * The reference loop on the local stack: the stack, the API and the workers come up, the loop runs
 * for a few epochs (see runReferenceLoop) and prints its per-epoch table. Then the API stays up
 * (Ctrl-C stops the apps), or, with --check, the apps stop. Options: --epochs N, --events N per epoch,
 * --drift none|gradual|sudden (default sudden), --label-delays fast|default|slow (how late outcomes come).
 */
async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const stack = new LocalStack(undefined, (line) => process.stdout.write(`stack: ${line}\n`));
  await stack.up();
  const config = loadGyreConfig();
  const apps = await startApps(config);
  process.stdout.write(`Apps' logs: ${Object.values(apps.logFiles).join(', ')}\n`);
  try {
    const adminKey = await ensureDemoAdminKey(config, join(dataDir, 'demo-admin-key'));
    await runReferenceLoop(
      config,
      adminKey,
      {
        epochs: integerArg(argv, '--epochs', 6),
        eventsPerEpoch: integerArg(argv, '--events', 2000),
        seed: 'gyre-demo',
        drift: driftArg(argv),
        labelDelays: labelDelaysArg(argv),
      },
      (line) => process.stdout.write(`loop: ${line}\n`),
    );
    process.stdout.write(
      `Admin API key "${DEMO_KEY_NAME}": ${adminKey}\n` +
        (check ? 'Check passed; stopping the apps.\n' : 'Ctrl-C stops the apps; the stack keeps running.\n'),
    );
  } catch (error) {
    apps.stopAll();
    await apps.exited();
    throw error;
  }
  if (check) apps.stopAll();
  return apps.exited();
}

function integerArg(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} needs a positive integer`);
  return parsed;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo:loop: ${error instanceof StackError || error instanceof ConfigurationError ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
