import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkersModule, WorkersOptions } from './workers.module';

export type { WorkersExtension, WorkersOptions } from './workers.module';

/** The workers process as main.ts runs it, minus listening: the integration tests drive this same app. */
export async function createWorkersApp(
  logger: LoggerService,
  options: WorkersOptions = {},
): Promise<INestApplication> {
  // abortOnError: false, so a failed start rejects (and main exits 1) instead of process.abort().
  const app = await NestFactory.create(WorkersModule.forRoot(options), { logger, abortOnError: false });
  // useProcessExit: exit 0 once closed; Nest's default re-raises the signal, which reads as a crash.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
