// Jest's moduleNameMapper does not apply to global setup code: resolve @gyre/* through tsconfig paths.
import 'tsconfig-paths/register';
import { readStackSettings } from '../stack/settings';
import { LocalStack } from '../stack/stack';

/** Leaves no process behind: stops the stack only if the global setup started it. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.GYRE_TEST_STARTED_STACK !== 'true') return;
  // Without the endpoints the setup injected: an injected DATABASE_URL would read as an external
  // Postgres, and the embedded one the setup started would be left running.
  const injected = new Set((process.env.GYRE_TEST_INJECTED_ENV ?? '').split(','));
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !injected.has(key)));
  const stopped = await new LocalStack(readStackSettings(env)).down();
  process.stdout.write(`[stack] stopped ${stopped.join(', ') || 'nothing'}\n`);
}
