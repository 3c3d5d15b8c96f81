import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

export const PROBLEM_TYPE_BASE = 'https://gyre.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details document. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
}

const UNEXPECTED = 'An unexpected error occurred; it has been logged.';

/**
 * The problem document for any thrown value. HTTP exceptions keep their status and message;
 * anything else is a 500 whose internals stay in the logs, never in the response.
 */
export function toProblemDetails(exception: unknown, instance: string): ProblemDetails {
  const status =
    exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
  const title = STATUS_CODES[status] ?? 'Error';
  return {
    type: `${PROBLEM_TYPE_BASE}${slug(title)}`,
    title,
    status,
    detail: exception instanceof HttpException && status < 500 ? detailOf(exception) : UNEXPECTED,
    instance,
  };
}

function detailOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
