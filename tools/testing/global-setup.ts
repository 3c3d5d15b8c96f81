// Jest's moduleNameMapper does not apply to global setup code: resolve @gyre/* through tsconfig paths.
import 'tsconfig-paths/register';
import { LocalStack } from '../stack/stack';
import { injectStackEnv } from './stack-env';

/**
 * Integration tests run against the real local stack. When this checkout's stack is not running, the
 * tests use services that already answer on the stack's ports (another checkout's stack, docker-compose),
 * and otherwise start the stack (and the teardown stops it). The tests get the endpoints through the env.
 */
export default async function globalSetup(): Promise<void> {
  const stack = new LocalStack(undefined, (line) => process.stdout.write(`[stack] ${line}\n`));
  const services = await stack.status();
  const running = services.every((service) => service.state === 'up' || service.state === 'external');
  if (!running) {
    if (await stack.servedElsewhere()) {
      process.stdout.write(
        '\n[stack] using the services already answering on the stack ports (not started here)\n',
      );
    } else {
      process.stdout.write('\n[stack] starting the local stack for the integration tests\n');
      await stack.up();
      process.env.GYRE_TEST_STARTED_STACK = 'true';
    }
  }
  const injected = injectStackEnv(stack);
  // The teardown must see the configuration as it was, not the endpoints injected here.
  process.env.GYRE_TEST_INJECTED_ENV = injected.join(',');
}
