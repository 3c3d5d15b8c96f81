import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiMetrics } from '../metrics/api-metrics';
import { bearerChallenge } from './auth-problems';
import { MethodNotAllowedException, PROBLEM_CONTENT_TYPE, toProblemDetails } from './problem-details';

/** Every error the API returns, including unknown routes, is an RFC 9457 problem+json document. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: ApiMetrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const context = host.switchToHttp();
    const request = context.getRequest<unknown>();
    const response = context.getResponse<unknown>();
    const instance = String(httpAdapter.getRequestUrl(request)).split('?')[0];
    const problem = toProblemDetails(exception, instance);
    this.metrics.problem(problem.type, problem.status);
    if (problem.status >= 500) {
      this.logger.error(
        {
          msg: 'request failed',
          method: httpAdapter.getRequestMethod(request),
          path: instance,
          status: problem.status,
        },
        exception instanceof Error ? exception : { thrown: String(exception) },
      );
    }
    if (httpAdapter.isHeadersSent(response)) return;
    httpAdapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    if (problem.retryAfterSeconds !== undefined)
      httpAdapter.setHeader(response, 'Retry-After', String(problem.retryAfterSeconds));
    if (exception instanceof MethodNotAllowedException)
      httpAdapter.setHeader(response, 'Allow', exception.allow.join(', '));
    if (problem.status === 401)
      httpAdapter.setHeader(response, 'WWW-Authenticate', bearerChallenge(problem.type));
    // A string body: Nest's adapter would reset a non-JSON Content-Type on an object error body.
    httpAdapter.reply(response, JSON.stringify(problem), problem.status);
  }
}
