import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorProblem } from '@gyre/errors';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from './database-unavailable';
import type { ProblemEntry } from './problem-entry';
import { CodedError, codedErrorOf, problemEntryOf } from './problem-registry';
import { STREAMS_PROBLEMS } from './streams-problems';

export const PROBLEM_TYPE_BASE = 'https://gyre.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details document, with Gyre's extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** Each field at fault, by JSON pointer into the request (e.g. /events/3/payload/amount). */
  errors?: readonly ErrorProblem[];
  /** Also sent as the Retry-After header. */
  retryAfterSeconds?: number;
}

/** Problem types of requests the HTTP edge refuses itself (their slugs are stable type URIs). */
export type EdgeProblemSlug =
  | 'invalid-request'
  | 'malformed-json'
  | 'malformed-utf8'
  | 'body-too-deep'
  | 'unsupported-media-type'
  | 'invalid-path'
  | 'uri-too-long'
  | 'request-header-too-large'
  | 'request-timeout'
  | 'method-not-allowed';

/** A request the HTTP edge refuses before any service runs: its path, body, header or query is malformed. */
export class InvalidRequestException extends HttpException {
  constructor(
    readonly slug: EdgeProblemSlug,
    status: number,
    message: string,
    readonly errors: readonly ErrorProblem[] = [],
  ) {
    super(message, status);
  }
}

/** A path served by other methods only; `allow` becomes the Allow header. */
export class MethodNotAllowedException extends InvalidRequestException {
  constructor(
    method: string,
    readonly allow: string[],
  ) {
    super('method-not-allowed', 405, `${method} is not served here; allowed: ${allow.join(', ')}`);
  }
}

const UNEXPECTED = 'An unexpected error occurred; it has been logged.';
/**
 * Retry-After of a retriable outage (429 or 5xx) whose error names no better time, and of
 * database-unavailable: a restart or failover of a broker, a bucket or Postgres takes seconds.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * The problem document for any thrown value. A coded error of any lib is answered as the problem registry
 * says; HTTP exceptions keep their status and message; anything else (an unregistered code included) is a
 * 500 whose internals stay in the logs, never in the response.
 */
export function toProblemDetails(exception: unknown, instance: string): ProblemDetails {
  const coded = codedErrorOf(exception);
  const entry = coded && problemEntryOf(coded.domain, coded.code);
  if (coded && entry) return codedProblem(entry, coded, instance);
  if (exception instanceof InvalidRequestException) {
    const status = exception.getStatus();
    return withErrors(
      {
        type: `${PROBLEM_TYPE_BASE}${exception.slug}`,
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail: exception.message,
        instance,
      },
      exception.errors,
    );
  }
  // Node's own error when a client closes the connection mid-body; its ECONNRESET is not Postgres's.
  if (isClientAbort(exception))
    return toProblemDetails(
      new InvalidRequestException('invalid-request', 400, 'the request body ended before it was complete'),
      instance,
    );
  if (isDatabaseUnavailable(exception))
    return {
      type: `${PROBLEM_TYPE_BASE}database-unavailable`,
      title: 'Database unavailable',
      status: 503,
      detail: 'Postgres is unreachable; nothing was changed or published. Retry later.',
      instance,
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
    };
  const status = statusOf(exception);
  // Fastify refuses a body over the request limit before any service runs; Nest hands it over as a bare 413.
  if (status === 413)
    return codedProblem(STREAMS_PROBLEMS.REQUEST_TOO_LARGE, { message: detailOf(exception) }, instance);
  const title = STATUS_CODES[status] ?? 'Error';
  return {
    type: `${PROBLEM_TYPE_BASE}${slug(title)}`,
    title,
    status,
    detail: status >= 500 ? UNEXPECTED : detailOf(exception),
    instance,
  };
}

/**
 * The answer to a coded error: its entry's type, status and title, the error's message (or the entry's fixed
 * detail), its problems as `errors`, and Retry-After: the error's own hint, else a default for a retriable
 * outage (429, 5xx).
 */
function codedProblem(
  entry: ProblemEntry,
  error: Partial<CodedError> & { message: string },
  instance: string,
): ProblemDetails {
  const { status, slug: name, title, detail = error.message } = entry;
  const problem = withErrors(
    { type: `${PROBLEM_TYPE_BASE}${name}`, title, status, detail, instance },
    error.problems ?? [],
  );
  const retryAfterSeconds =
    error.retryAfterSeconds ??
    (error.retriable && (status === 429 || status >= 500) ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
  return retryAfterSeconds === undefined ? problem : { ...problem, retryAfterSeconds };
}

function withErrors(problem: ProblemDetails, errors: readonly ErrorProblem[]): ProblemDetails {
  return errors.length > 0 ? { ...problem, errors: [...errors] } : problem;
}

// Body parsers throw plain errors carrying `status` (malformed JSON 400, too large 413).
function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { status?: unknown; expose?: unknown } | null)?.status;
  if (
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    (exception as { expose?: unknown }).expose === true
  )
    return status;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

function detailOf(exception: unknown): string {
  if (!(exception instanceof HttpException)) return (exception as Error).message;
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function isClientAbort(exception: unknown): boolean {
  return (
    exception instanceof Error &&
    exception.message === 'aborted' &&
    (exception as { code?: unknown }).code === 'ECONNRESET'
  );
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
