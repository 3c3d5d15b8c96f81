/**
 * A stack failure a person can act on: `message` is one line saying what is wrong and what to do,
 * `logFile` points at the evidence when a service died.
 */
export class StackError extends Error {
  override readonly name = 'StackError';

  constructor(
    message: string,
    readonly code: string,
    readonly logFile?: string,
    options?: { cause?: unknown },
  ) {
    super(logFile ? `${message} (log: ${logFile})` : message, options);
  }
}
