import type { FastifyReply, FastifyRequest } from 'fastify';
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
