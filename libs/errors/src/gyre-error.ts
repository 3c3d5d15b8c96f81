/** One part of a request at fault: a JSON pointer into it (e.g. /events/3/payload/amount) and what is wrong. */
export interface ErrorProblem {
  pointer: string;
  detail: string;
}

export interface GyreErrorOptions {
  /** Whether trying the same operation again may succeed; false unless the thrower says so. */
  retriable?: boolean;
  cause?: unknown;
  /** Each part of the input at fault; RFC 9457's `errors` extension member at the HTTP edge. */
  problems?: readonly ErrorProblem[];
  /** Seconds after which a retry may succeed, when the thrower knows better than a default. */
  retryAfterSeconds?: number;
}

/**
 * The one base of Gyre's errors: a stable `code` callers branch on (never the message), `retriable`,
 * `cause`, the input's `problems` and a retry hint. `domain` names the lib, so codes stay short and
 * unique only within it; the API's problem registry is keyed by domain and code.
 */
export abstract class GyreError<Code extends string = string> extends Error {
  abstract readonly domain: string;
  readonly retriable: boolean;
  readonly problems: readonly ErrorProblem[];
  readonly retryAfterSeconds: number | undefined;

  protected constructor(
    readonly code: Code,
    message: string,
    options: GyreErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    this.problems = options.problems ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
