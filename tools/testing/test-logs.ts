import { JsonLogger, LogLevel, LogSink } from '@gyre/logging';
import { appendFileSync } from 'node:fs';
import { testLogPath } from './test-log-path';

/** The log file of the integration test file running now (set up by test-log-setup.ts). */
export function currentTestLogFile(): string {
  const testPath = expect.getState().testPath;
  if (!testPath) throw new Error('currentTestLogFile() is only known inside a Jest test file');
  return testLogPath(testPath);
}

/**
 * Appends each line to the running test file's log, so application logs never flood the test output.
 * In a child process a test starts (no Jest there), lines go to stderr, which startApp() appends to the
 * same log file.
 */
export function testLogSink(): LogSink {
  if (typeof expect === 'undefined') return { write: (line: string) => process.stderr.write(line) };
  const file = currentTestLogFile();
  return { write: (line: string) => appendFileSync(file, line) };
}

/** The JSON logger tests give the apps they start in-process: same format as production, into the test's log. */
export function testLogger(level: LogLevel = 'info'): JsonLogger {
  return new JsonLogger({ level, sink: testLogSink() });
}
