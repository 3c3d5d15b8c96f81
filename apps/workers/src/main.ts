import 'reflect-metadata';
import { loadGyreConfig } from '@gyre/config';
import { JsonLogger } from '@gyre/logging';
import { createWorkersApp } from './workers-app';

async function main(): Promise<void> {
  // Validated before Nest starts: a bad setting stops the process before it opens any connection.
  const config = loadGyreConfig();
  const logger = new JsonLogger({ level: config.log.level });
  const app = await createWorkersApp(logger);
  await app.listen(config.workers.port, config.workers.host);
  logger.log(
    {
      msg: 'workers listening',
      host: config.workers.host,
      port: config.workers.port,
      health: '/health',
      metrics: '/metrics',
    },
    'Bootstrap',
  );
}

main().catch((error: unknown) => {
  new JsonLogger({ level: 'error', sink: process.stderr }).fatal(
    { msg: `workers refused to start: ${error instanceof Error ? error.message : String(error)}` },
    error instanceof Error ? error : {},
    'Bootstrap',
  );
  process.exit(1);
});
