import { HttpException, HttpStatus } from '@nestjs/common';
import { AuthError } from '@gyre/auth';
import { PipelineError } from '@gyre/pipelines';
import { ReplayError } from '@gyre/replay';
import { FieldProblem, StreamsError, StreamsErrorCode } from '@gyre/streams';
import { STATUS_CODES } from 'node:http';
import { AUTH_PROBLEMS } from './auth-problems';
import { isDatabaseUnavailable } from './database-unavailable';
import { PIPELINE_PROBLEMS, pipelineFieldProblems } from './pipeline-problems';
import { REPLAY_PROBLEMS } from './replay-problems';

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
  errors?: FieldProblem[];
  /** Also sent as the Retry-After header. */
  retryAfterSeconds?: number;
}

/** One stable type URI (PROBLEM_TYPE_BASE + slug), status and title per domain error code. */
export const DOMAIN_PROBLEMS: Record<StreamsErrorCode, { status: number; slug: string; title: string }> = {
  STREAM_NOT_FOUND: { status: 404, slug: 'stream-not-found', title: 'Stream not found' },
  STREAM_EXISTS: { status: 409, slug: 'stream-exists', title: 'Stream already exists' },
  INVALID_STREAM_DEFINITION: {
    status: 422,
    slug: 'invalid-stream-definition',
    title: 'Invalid stream definition',
  },
  INVALID_SCHEMA: { status: 422, slug: 'invalid-schema', title: 'Invalid JSON Schema' },
  INCOMPATIBLE_SCHEMA: { status: 409, slug: 'incompatible-schema', title: 'Incompatible schema change' },
  DELETE_NOT_CONFIRMED: { status: 400, slug: 'delete-not-confirmed', title: 'Deletion not confirmed' },
  MALFORMED_EVENTS: { status: 400, slug: 'malformed-events', title: 'Malformed events' },
  INVALID_EVENTS: { status: 422, slug: 'invalid-events', title: 'Invalid events' },
  EVENT_TOO_LARGE: { status: 413, slug: 'event-too-large', title: 'Event too large' },
  PAYLOAD_TOO_DEEP: { status: 422, slug: 'payload-too-deep', title: 'Payload nested too deeply' },
  REQUEST_TOO_LARGE: { status: 413, slug: 'request-too-large', title: 'Request too large' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, slug: 'idempotency-key-reused', title: 'Idempotency key reused' },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    slug: 'idempotency-key-in-progress',
    title: 'Idempotent request in progress',
  },
  PUBLISH_UNAVAILABLE: { status: 503, slug: 'publish-unavailable', title: 'Publishing unavailable' },
  PULSAR_ADMIN_FAILED: { status: 502, slug: 'pulsar-admin-failed', title: 'Pulsar admin API failed' },
  PULSAR_ADMIN_UNAVAILABLE: {
    status: 503,
    slug: 'pulsar-admin-unavailable',
    title: 'Pulsar admin API unavailable',
  },
  INVALID_MESSAGE_ID: { status: 400, slug: 'invalid-message-id', title: 'Invalid message id' },
  INVALID_TIMESTAMP: { status: 400, slug: 'invalid-timestamp', title: 'Invalid timestamp' },
  SUBSCRIPTION_NOT_FOUND: { status: 404, slug: 'subscription-not-found', title: 'Subscription not found' },
  SUBSCRIPTION_EXISTS: { status: 409, slug: 'subscription-exists', title: 'Subscription already exists' },
  DEAD_LETTER_TOPIC_NOT_FOUND: {
    status: 404,
    slug: 'dead-letter-topic-not-found',
    title: 'Dead-letter topic not found',
  },
  OPERATION_NOT_CONFIRMED: { status: 400, slug: 'operation-not-confirmed', title: 'Operation not confirmed' },
  OFFLOAD_IN_PROGRESS: { status: 409, slug: 'offload-in-progress', title: 'Offload already running' },
  INVALID_POLICY: { status: 422, slug: 'invalid-policy', title: 'Invalid policy' },
  TIERED_STORAGE_UNAVAILABLE: {
    status: 503,
    slug: 'tiered-storage-unavailable',
    title: 'Tiered-storage bucket unavailable',
  },
  INVALID_SUBSCRIPTION: { status: 400, slug: 'invalid-subscription', title: 'Invalid subscription name' },
  INVALID_LEASE_TOKEN: { status: 400, slug: 'invalid-lease-token', title: 'Invalid lease token' },
  LEASE_LIMIT_REACHED: { status: 429, slug: 'lease-limit-reached', title: 'Too many leased messages' },
  SUBSCRIPTION_SETTINGS_CONFLICT: {
    status: 409,
    slug: 'subscription-settings-conflict',
    title: 'Subscription consumed with other settings',
  },
  CONSUME_UNAVAILABLE: { status: 503, slug: 'consume-unavailable', title: 'Consuming unavailable' },
};

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
    readonly errors: FieldProblem[] = [],
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
/** Retry-After of a database-unavailable problem: a restart or failover of Postgres takes seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The problem document for any thrown value. Domain errors get their own type URI; HTTP exceptions keep
 * their status and message; anything else is a 500 whose internals stay in the logs, never in the response.
 */
export function toProblemDetails(exception: unknown, instance: string): ProblemDetails {
  if (exception instanceof StreamsError) return domainProblem(exception, instance);
  if (exception instanceof AuthError) return authProblem(exception, instance);
  if (exception instanceof ReplayError) return replayProblem(exception, instance);
  if (exception instanceof PipelineError) return pipelineProblem(exception, instance);
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
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    };
  const status = statusOf(exception);
  // Fastify refuses a body over the request limit before any service runs; Nest hands it over as a bare 413.
  if (status === 413)
    return {
      ...codedProblem(
        DOMAIN_PROBLEMS.REQUEST_TOO_LARGE,
        { message: detailOf(exception), problems: [] },
        instance,
        { retryAfterSeconds: undefined },
      ),
    };
  const title = STATUS_CODES[status] ?? 'Error';
  return {
    type: `${PROBLEM_TYPE_BASE}${slug(title)}`,
    title,
    status,
    detail: status >= 500 ? UNEXPECTED : detailOf(exception),
    instance,
  };
}

/** Failures of Pulsar's admin API and S3 carry broker paths and internals: logged, not returned. */
const HIDDEN_DETAIL: Partial<Record<StreamsErrorCode, string>> = {
  PULSAR_ADMIN_FAILED: 'Pulsar did not complete the request; retry later.',
  PULSAR_ADMIN_UNAVAILABLE: "Pulsar's admin API is unreachable or slow; retry later.",
  TIERED_STORAGE_UNAVAILABLE: 'The tiered-storage bucket could not be listed; retry later.',
};

interface ProblemEntry {
  status: number;
  slug: string;
  title: string;
}

/** The problem document of a coded domain error: its table entry, its field problems, its retry hint. */
function codedProblem(
  entry: ProblemEntry,
  error: { message: string; problems: FieldProblem[] },
  instance: string,
  retry: { retryAfterSeconds: number | undefined },
  detail = error.message,
): ProblemDetails {
  const { status, slug: name, title } = entry;
  return withRetryAfter(
    retry,
    withErrors({ type: `${PROBLEM_TYPE_BASE}${name}`, title, status, detail, instance }, error.problems),
  );
}

function domainProblem(error: StreamsError, instance: string): ProblemDetails {
  return codedProblem(DOMAIN_PROBLEMS[error.code], error, instance, error, HIDDEN_DETAIL[error.code]);
}

function authProblem(error: AuthError, instance: string): ProblemDetails {
  return codedProblem(AUTH_PROBLEMS[error.code], error, instance, error);
}

function replayProblem(error: ReplayError, instance: string): ProblemDetails {
  return codedProblem(REPLAY_PROBLEMS[error.code], error, instance, {
    retryAfterSeconds: error.retriable ? 5 : undefined,
  });
}

function pipelineProblem(error: PipelineError, instance: string): ProblemDetails {
  const fields = { message: error.message, problems: pipelineFieldProblems(error) };
  return codedProblem(PIPELINE_PROBLEMS[error.code], fields, instance, { retryAfterSeconds: undefined });
}

function withRetryAfter(
  error: { retryAfterSeconds: number | undefined },
  problem: ProblemDetails,
): ProblemDetails {
  return error.retryAfterSeconds === undefined
    ? problem
    : { ...problem, retryAfterSeconds: error.retryAfterSeconds };
}

function withErrors(problem: ProblemDetails, errors: FieldProblem[]): ProblemDetails {
  return errors.length > 0 ? { ...problem, errors } : problem;
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
