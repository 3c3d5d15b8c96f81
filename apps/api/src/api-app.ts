import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GyreConfig } from '@gyre/config';
import { ApiModule } from './api.module';
import { ApiMetrics } from './metrics/api-metrics';
import { serveOpenApi } from './openapi';

/** The API as main.ts runs it, minus listening: the integration tests drive this same app. */
export async function createApiApp(logger: LoggerService): Promise<INestApplication> {
  // abortOnError: false, so a failed start rejects (and main exits 1) instead of process.abort().
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(), {
    logger,
    abortOnError: false,
    bodyParser: false,
  });
  // One request limit for every body; ingestion also takes NDJSON as text, split into events by the service.
  // First, so the request metrics time body parsing too.
  app.use(app.get(ApiMetrics).middleware());
  const limit = app.get(GyreConfig).ingest.maxRequestBytes;
  app.useBodyParser('json', { limit });
  app.useBodyParser('text', { type: 'application/x-ndjson', limit });
  serveOpenApi(app);
  // useProcessExit: exit 0 once closed; Nest's default re-raises the signal, which reads as a crash.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
