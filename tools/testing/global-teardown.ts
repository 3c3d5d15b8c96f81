// Jest's moduleNameMapper does not apply to global setup code: resolve @gyre/* through tsconfig paths.
import 'tsconfig-paths/register';
import { LocalStack } from '../stack/stack';

/** Leaves no process behind: stops the stack only if the global setup started it. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.GYRE_TEST_STARTED_STACK !== 'true') return;
  const stopped = await new LocalStack().down();
  process.stdout.write(`[stack] stopped ${stopped.join(', ') || 'nothing'}\n`);
}
