import { JsonLogger } from './json-logger';

/** The one fatal line on stderr of a process role that could not start (its main then exits 1). */
export function logStartFailure(role: string, error: unknown): void {
  new JsonLogger({ level: 'error', sink: process.stderr }).fatal(
    { msg: `${role} refused to start: ${error instanceof Error ? error.message : String(error)}` },
    error instanceof Error ? error : {},
    'Bootstrap',
  );
}
