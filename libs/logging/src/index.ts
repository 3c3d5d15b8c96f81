export { JsonLogger } from './json-logger';
export type { JsonLoggerOptions, LogLevel, LogSink } from './json-logger';
export { redact } from './redact';
export { logStartFailure } from './start-failure';
