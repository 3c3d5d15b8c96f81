// Jest's moduleNameMapper does not apply to global setup code: resolve @gyre/* through tsconfig paths.
import 'tsconfig-paths/register';
import { CLUSTER_NAME, clusterEndpoints } from '../stack/cluster/cluster-layout';
import { LocalStack } from '../stack/stack';
import { injectStackEnv } from './stack-env';

/**
 * The cluster tests (`npm run test:cluster`) run against the local multi-node cluster behind its proxy:
 * started here unless it already runs (the teardown then stops what was started here). The cluster's
 * endpoints replace the standalone's for the test files and the apps they start.
 */
export default async function clusterSetup(): Promise<void> {
  const stack = new LocalStack(undefined, (line) => process.stdout.write(`[cluster] ${line}\n`));
  const running = (await stack.clusterStatus()).every((s) => s.state === 'up' || s.state === 'external');
  if (!running) {
    // The teardown stops Postgres and S3 too only when they were not running before.
    const before = await stack.status();
    const supportingUp = before
      .filter((s) => s.name !== 'pulsar')
      .every((s) => s.state === 'up' || s.state === 'external');
    if (!supportingUp) process.env.GYRE_TEST_STARTED_SUPPORTING = 'true';
    process.stdout.write('\n[cluster] starting the local Pulsar cluster for the cluster tests\n');
    const started = Date.now();
    await stack.upCluster();
    process.stdout.write(`[cluster] up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    process.env.GYRE_TEST_STARTED_CLUSTER = 'true';
  }
  const injected = injectStackEnv(stack);
  process.env.PULSAR_SERVICE_URL = clusterEndpoints.serviceUrl;
  process.env.PULSAR_ADMIN_URL = clusterEndpoints.adminUrl;
  process.env.PULSAR_CLUSTER = CLUSTER_NAME;
  process.env.GYRE_TEST_INJECTED_ENV = injected.join(',');
}
