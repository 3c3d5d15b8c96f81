import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ApiKeyService } from '@gyre/auth';
import { GyreConfig, loadGyreConfig } from '@gyre/config';
import { JsonLogger, logStartFailure } from '@gyre/logging';
import { ApiModule, ApiOptions } from './api.module';

export type { ApiOptions } from './api.module';
// For extensions' admin routes that change something: the audit log's actor (examples import only this file).
export { Actor } from './auth/actor';
import { authenticateBeforeBody } from './auth/api-key.guard';
import { registerBodyParsers } from './http/body-parsers';
import { EdgeRefusals, MAX_PARAM_LENGTH } from './http/framework-errors';
import { registerRouteGuard } from './http/route-guard';
import { ApiMetrics } from './metrics/api-metrics';
import { serveOpenApi } from './openapi';
import { serveConsole } from './console/serve-console';

/**
 * The API as main.ts runs it, initialised but not listening: the integration tests drive this same app
 * (supertest on app.getHttpServer()). Fastify, not Express: measured faster on the single-event path
 * (docs/benchmarks.md).
 */
export async function createApiApp(
  logger: LoggerService,
  options: ApiOptions = {},
): Promise<INestApplication> {
  // abortOnError: false, so a failed start rejects (and main exits 1) instead of process.abort().
  // bodyParser: false: the parsers below replace Nest's and Fastify's defaults (no text/plain, no forms).
  const refusals = new EdgeRefusals();
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(options),
    new FastifyAdapter({
      routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
      frameworkErrors: refusals.router,
      clientErrorHandler: refusals.parser,
    }),
    {
      logger,
      abortOnError: false,
      bodyParser: false,
    },
  );
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  // First, so the request metrics time authentication and body parsing too.
  const metrics = app.get(ApiMetrics);
  metrics.register(fastify);
  refusals.countWith((problem) => metrics.problem(problem.type, problem.status));
  // Before authentication: a control character in a path or a wrong method is refused unauthenticated.
  registerRouteGuard(fastify);
  // An onRequest hook runs before the body is read: a request without a valid key is refused unread.
  const keys = app.get(ApiKeyService);
  fastify.addHook('onRequest', (request, _reply, done) => {
    authenticateBeforeBody(keys, request).then(() => done(), done);
  });
  registerBodyParsers(fastify, app.get(GyreConfig).ingest.maxRequestBytes);
  serveOpenApi(app);
  await serveConsole(app, logger);
  // useProcessExit: exit 0 once closed; Nest's default re-raises the signal, which reads as a crash.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.init();
  await fastify.ready();
  return app;
}

/**
 * The API process: validates the configuration before Nest starts (a bad setting stops it before any
 * connection opens), listens, and exits 1 with one fatal line when it cannot start. main.ts runs it bare;
 * an example's entry point runs it with its extensions.
 */
export function runApi(options: ApiOptions = {}): void {
  const start = async (): Promise<void> => {
    const config = loadGyreConfig();
    const logger = new JsonLogger({ level: config.log.level });
    const app = await createApiApp(logger, options);
    await app.listen(config.api.port, config.api.host);
    logger.log(
      {
        msg: 'API listening',
        host: config.api.host,
        port: config.api.port,
        docs: '/docs',
        health: '/health',
      },
      'Bootstrap',
    );
  };
  start().catch((error: unknown) => {
    logStartFailure('API', error);
    process.exit(1);
  });
}
