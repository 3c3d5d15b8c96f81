import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import {
  InvalidRequestException,
  PROBLEM_CONTENT_TYPE,
  ProblemDetails,
  toProblemDetails,
} from '../problem-details/problem-details';

/** Longest path parameter routed (a 200-character subscription name then gets invalid-subscription). */
export const MAX_PARAM_LENGTH = 2048;

/**
 * The refusals answered before Nest (its exception filter never sees them), each reported to `counted` (the
 * API's problem metrics, set once the app exists) like the problems the filter answers.
 */
export class EdgeRefusals {
  private counted: (problem: ProblemDetails) => void = () => undefined;

  countWith(counted: (problem: ProblemDetails) => void): void {
    this.counted = counted;
  }

  /** Fastify's `frameworkErrors`. */
  readonly router = (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void =>
    this.counted(frameworkProblem(error, request, reply));

  /** Fastify's `clientErrorHandler`. */
  readonly parser = (error: Error & { code?: string }, socket: Socket): void => {
    const problem = clientProblem(error, socket);
    if (problem) this.counted(problem);
  };
}

/**
 * Fastify's own refusals before routing (a bad percent-escape, a parameter over MAX_PARAM_LENGTH) as
 * problem+json: they never reach Nest's exception filter, so they are answered here.
 */
function frameworkProblem(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): ProblemDetails {
  const refusal =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new InvalidRequestException(
          'uri-too-long',
          414,
          `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
        )
      : error.code === 'FST_ERR_BAD_URL'
        ? new InvalidRequestException('invalid-path', 400, 'the path has a malformed percent-escape')
        : error;
  const problem = toProblemDetails(refusal, request.url.split('?')[0]);
  void reply.code(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  return problem;
}

/**
 * Node's HTTP parser refusals (a body ending before its Content-Length, a malformed request line, headers
 * too large, a slow client) reach no route: answered on the socket as problem+json, then closed.
 */
function clientProblem(error: Error & { code?: string }, socket: Socket): ProblemDetails | undefined {
  if (error.code === 'ECONNRESET' || socket.destroyed) return undefined;
  const refusal =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new InvalidRequestException('request-header-too-large', 431, 'the request headers are too large')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new InvalidRequestException('request-timeout', 408, 'the request was not received in time')
        : new InvalidRequestException(
            'invalid-request',
            400,
            'the request is malformed, or its body ended before its Content-Length',
          );
  const problem = toProblemDetails(refusal, '');
  const body = JSON.stringify(problem);
  const status = refusal.getStatus();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  return problem;
}
