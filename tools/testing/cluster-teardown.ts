// Jest's moduleNameMapper does not apply to global setup code: resolve @gyre/* through tsconfig paths.
import 'tsconfig-paths/register';
import { readStackSettings } from '../stack/settings';
import { LocalStack } from '../stack/stack';

/** Leaves no process behind: stops the cluster (and Postgres, S3) only if the cluster setup started them. */
export default async function clusterTeardown(): Promise<void> {
  if (process.env.GYRE_TEST_STARTED_CLUSTER !== 'true') return;
  const injected = new Set((process.env.GYRE_TEST_INJECTED_ENV ?? '').split(','));
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !injected.has(key)));
  const stack = new LocalStack(readStackSettings(env));
  const stopped =
    process.env.GYRE_TEST_STARTED_SUPPORTING === 'true' ? await stack.down() : await stack.downCluster();
  process.stdout.write(`[cluster] stopped ${stopped.join(', ') || 'nothing'}\n`);
}
