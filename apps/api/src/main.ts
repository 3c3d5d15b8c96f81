import 'reflect-metadata';
import { loadGyreConfig } from '@gyre/config';
import { JsonLogger } from '@gyre/logging';
import { createApiApp } from './api-app';

async function main(): Promise<void> {
  // Validated before Nest starts: a bad setting stops the process before it opens any connection.
  const config = loadGyreConfig();
  const logger = new JsonLogger({ level: config.log.level });
  const app = await createApiApp(logger);
  await app.listen(config.api.port, config.api.host);
  logger.log(
    { msg: 'API listening', host: config.api.host, port: config.api.port, docs: '/docs', health: '/health' },
    'Bootstrap',
  );
}

main().catch((error: unknown) => {
  new JsonLogger({ level: 'error', sink: process.stderr }).fatal(
    { msg: `API refused to start: ${error instanceof Error ? error.message : String(error)}` },
    error instanceof Error ? error : {},
    'Bootstrap',
  );
  process.exit(1);
});
