import {
  BadRequestException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { toProblemDetails } from './problem-details';

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
