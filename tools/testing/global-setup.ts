// Jest's moduleNameMapper does not apply to global setup code: resolve @gyre/* through tsconfig paths.
import 'tsconfig-paths/register';
import { LocalStack } from '../stack/stack';
import { stackEnvFile } from '../stack/paths';
import { readDotEnv } from '../stack/settings';

/**
 * Integration tests run against the real local stack: bring it up when it is not already running
 * (and remember to take it down afterwards), then expose its endpoints to the tests.
 */
export default async function globalSetup(): Promise<void> {
  const stack = new LocalStack(undefined, (line) => process.stdout.write(`[stack] ${line}\n`));
  const services = await stack.status();
  const running = services.every((service) => service.state === 'up' || service.state === 'external');
  if (!running) {
    process.stdout.write('\n[stack] starting the local stack for the integration tests\n');
    await stack.up();
    process.env.GYRE_TEST_STARTED_STACK = 'true';
  }
  for (const [key, value] of Object.entries(readDotEnv(stackEnvFile))) {
    if (process.env[key] === undefined || process.env[key] === '') process.env[key] = value;
  }
}
