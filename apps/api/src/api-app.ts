import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from './api.module';
import { serveOpenApi } from './openapi';

/** The API as main.ts runs it, minus listening: the integration tests drive this same app. */
export async function createApiApp(logger: LoggerService): Promise<INestApplication> {
  // abortOnError: false, so a failed start rejects (and main exits 1) instead of process.abort().
  const app = await NestFactory.create(ApiModule.forRoot(), { logger, abortOnError: false });
  serveOpenApi(app);
  // useProcessExit: exit 0 once closed; Nest's default re-raises the signal, which reads as a crash.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
