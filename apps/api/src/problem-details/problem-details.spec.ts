import {
  BadRequestException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AuthError } from '@gyre/auth';
import { StreamsError } from '@gyre/streams';
import { AUTH_PROBLEMS, bearerChallenge } from './auth-problems';
import { toProblemDetails } from './problem-details';
import { STREAMS_PROBLEMS } from './streams-problems';

describe(toProblemDetails.name, () => {
  it('keeps the status and message of an HTTP exception, with a type URI named after the status', () => {
    expect(
      toProblemDetails(new NotFoundException('stream clicks does not exist'), '/streams/clicks'),
    ).toEqual({
      type: 'https://gyre.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'stream clicks does not exist',
      instance: '/streams/clicks',
    });
  });

  it('joins the messages of a validation failure into one detail', () => {
    const problem = toProblemDetails(
      new BadRequestException(['name must be a string', 'tier is required']),
      '/streams',
    );

    expect(problem).toMatchObject({ status: 400, type: 'https://gyre.dev/problems/bad-request' });
    expect(problem.detail).toBe('name must be a string; tier is required');
  });

  it('accepts a plain-string HTTP exception body and a status without a standard title', () => {
    expect(toProblemDetails(new HttpException('slow down', 429), '/events')).toMatchObject({
      type: 'https://gyre.dev/problems/too-many-requests',
      title: 'Too Many Requests',
      detail: 'slow down',
    });
    expect(toProblemDetails(new HttpException('odd', 499), '/x')).toMatchObject({
      title: 'Error',
      status: 499,
    });
  });

  it('turns anything else into a 500 that reveals nothing of the error', () => {
    const problem = toProblemDetails(new Error('password authentication failed for user "gyre"'), '/streams');

    expect(problem).toEqual({
      type: 'https://gyre.dev/problems/internal-server-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
      instance: '/streams',
    });
  });

  it('does not echo the message of a 5xx HTTP exception either', () => {
    expect(
      toProblemDetails(new ServiceUnavailableException('pool exhausted at db-3'), '/x').detail,
    ).not.toContain('db-3');
  });
});

describe('toProblemDetails for domain and edge errors', () => {
  it('gives each domain error its own type URI and status, with the fields at fault', () => {
    const error = new StreamsError('INVALID_EVENTS', 'events do not match the stream schema', {
      problems: [{ pointer: '/events/3/payload/amount', detail: 'must be number' }],
    });

    expect(toProblemDetails(error, '/v1/streams/clicks/events')).toEqual({
      type: 'https://gyre.dev/problems/invalid-events',
      title: 'Invalid events',
      status: 422,
      detail: 'events do not match the stream schema',
      instance: '/v1/streams/clicks/events',
      errors: [{ pointer: '/events/3/payload/amount', detail: 'must be number' }],
    });
  });

  it('has a distinct type URI for every streams and auth error code', () => {
    const slugs = [...Object.values(STREAMS_PROBLEMS), ...Object.values(AUTH_PROBLEMS)].map(
      (problem) => problem.slug,
    );

    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it('carries the retry hint of an unavailable broker', () => {
    const error = new StreamsError(
      'PUBLISH_UNAVAILABLE',
      'Pulsar did not acknowledge the events (SEND_TIMEOUT)',
      {
        retriable: true,
        retryAfterSeconds: 5,
      },
    );

    expect(toProblemDetails(error, '/x')).toMatchObject({ status: 503, retryAfterSeconds: 5 });
  });

  it('does not reveal the internals of a failed Pulsar admin call', () => {
    const error = new StreamsError(
      'PULSAR_ADMIN_FAILED',
      'Pulsar admin PUT /admin/v2/persistent/gyre/x failed',
    );

    expect(toProblemDetails(error, '/x').detail).not.toContain('/admin/v2');
  });

  it('answers a body over the request limit (a bare 413 from Fastify, through Nest) as request-too-large', () => {
    const tooLarge = new HttpException('Request body is too large', 413);

    expect(toProblemDetails(tooLarge, '/x')).toMatchObject({
      status: 413,
      type: 'https://gyre.dev/problems/request-too-large',
      detail: 'Request body is too large',
    });
  });

  it('answers a body the client cut short (Node: aborted, ECONNRESET) as invalid-request, not database-unavailable', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    expect(toProblemDetails(aborted, '/v1/streams/s/events')).toMatchObject({
      type: 'https://gyre.dev/problems/invalid-request',
      status: 400,
    });
  });

  it('answers Postgres being unreachable or going away as 503 database-unavailable with Retry-After', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const dropped = Object.assign(new Error('Connection terminated unexpectedly'), {
      driverError: new Error('Connection terminated unexpectedly'),
    });
    const shuttingDown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });

    for (const error of [refused, dropped, shuttingDown])
      expect(toProblemDetails(error, '/x')).toMatchObject({
        type: 'https://gyre.dev/problems/database-unavailable',
        status: 503,
        retryAfterSeconds: 5,
      });
    const refusedQuery = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(toProblemDetails(refusedQuery, '/x').status).toBe(500);
  });
});

describe('toProblemDetails for auth errors', () => {
  it('answers a missing, malformed, invalid or revoked key with 401 and its own type URI', () => {
    const types = (
      ['API_KEY_MISSING', 'API_KEY_MALFORMED', 'API_KEY_INVALID', 'API_KEY_REVOKED'] as const
    ).map((code) => toProblemDetails(new AuthError(code, 'no'), '/admin/streams'));

    expect(types.map((problem) => [problem.status, problem.type])).toEqual([
      [401, 'https://gyre.dev/problems/api-key-missing'],
      [401, 'https://gyre.dev/problems/api-key-malformed'],
      [401, 'https://gyre.dev/problems/api-key-invalid'],
      [401, 'https://gyre.dev/problems/api-key-revoked'],
    ]);
  });

  it('answers a wrong role or a stream out of scope with 403, and a rate limit with 429 and its retry hint', () => {
    expect(toProblemDetails(new AuthError('STREAM_OUT_OF_SCOPE', 'x'), '/x')).toMatchObject({
      status: 403,
      type: 'https://gyre.dev/problems/stream-out-of-scope',
    });
    expect(toProblemDetails(new AuthError('ROLE_FORBIDDEN', 'x'), '/x').status).toBe(403);
    expect(
      toProblemDetails(new AuthError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 2 }), '/x'),
    ).toMatchObject({ status: 429, type: 'https://gyre.dev/problems/rate-limited', retryAfterSeconds: 2 });
  });

  it('challenges a request without a key plainly, and one with a bad key as invalid_token', () => {
    expect(bearerChallenge('https://gyre.dev/problems/api-key-missing')).toBe('Bearer realm="gyre"');
    expect(bearerChallenge('https://gyre.dev/problems/api-key-revoked')).toBe(
      'Bearer realm="gyre", error="invalid_token"',
    );
  });
});
