import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import {
  InvalidRequestException,
  PROBLEM_CONTENT_TYPE,
  toProblemDetails,
} from '../problem-details/problem-details';

/** Longest path parameter routed (a 200-character subscription name then gets invalid-subscription). */
export const MAX_PARAM_LENGTH = 2048;

/**
 * Fastify's own refusals before routing (a bad percent-escape, a parameter over MAX_PARAM_LENGTH) as
 * problem+json: they never reach Nest's exception filter, so they are answered here.
 */
export function frameworkProblem(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
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
}

/**
 * Node's HTTP parser refusals (a body ending before its Content-Length, a malformed request line, headers
 * too large, a slow client) reach no route: answered on the socket as problem+json, then closed.
 */
export function clientProblem(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
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
  const body = JSON.stringify(toProblemDetails(refusal, ''));
  const status = refusal.getStatus();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
