import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadGyreConfig } from '@gyre/config';
import { JsonLogger, logStartFailure } from '@gyre/logging';
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

/**
 * The workers process: validates the configuration before Nest starts, listens for /health and /metrics,
 * and exits 1 with one fatal line when it cannot start. main.ts runs it bare; an example's entry point
 * runs it with its extensions.
 */
export function runWorkers(options: WorkersOptions = {}): void {
  const start = async (): Promise<void> => {
    const config = loadGyreConfig();
    const logger = new JsonLogger({ level: config.log.level });
    const app = await createWorkersApp(logger, options);
    await app.listen(config.workers.port, config.workers.host);
    const { host, port } = config.workers;
    logger.log({ msg: 'workers listening', host, port, health: '/health', metrics: '/metrics' }, 'Bootstrap');
  };
  start().catch((error: unknown) => {
    logStartFailure('workers', error);
    process.exit(1);
  });
}
