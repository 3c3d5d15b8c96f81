import {
  BadRequestException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { StreamsError } from '@gyre/streams';
import { DOMAIN_PROBLEMS, toProblemDetails } from './problem-details';

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

  it('has a distinct type URI for every domain error code', () => {
    const slugs = Object.values(DOMAIN_PROBLEMS).map((problem) => problem.slug);

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

  it("keeps the 4xx status of an Express body parser's error (malformed JSON, too large)", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });

    expect(toProblemDetails(tooLarge, '/x')).toMatchObject({
      status: 413,
      type: 'https://gyre.dev/problems/payload-too-large',
    });
  });
});
