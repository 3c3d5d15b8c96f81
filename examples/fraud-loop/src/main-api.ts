import 'reflect-metadata';
import { loadGyreConfig } from '@gyre/config';
import { JsonLogger } from '@gyre/logging';
import { createApiApp } from '../../../apps/api/src/api-app';
import { REFERENCE_LOOP_MIGRATIONS } from './migrations/reference-loop-migrations';
import { ReferenceLoopApiModule } from './reference-loop.module';

/** The generic API with the fraud loop's lineage routes and tables (it migrates): what the demo (npm start) runs. */
async function main(): Promise<void> {
  const config = loadGyreConfig();
  const logger = new JsonLogger({ level: config.log.level });
  const app = await createApiApp(logger, {
    extensions: [ReferenceLoopApiModule],
    migrations: REFERENCE_LOOP_MIGRATIONS,
  });
  await app.listen(config.api.port, config.api.host);
  logger.log({ msg: 'API listening', example: 'fraud-loop', port: config.api.port }, 'Bootstrap');
}

main().catch((error: unknown) => {
  new JsonLogger({ level: 'error', sink: process.stderr }).fatal(
    { msg: `API refused to start: ${error instanceof Error ? error.message : String(error)}` },
    error instanceof Error ? error : {},
    'Bootstrap',
  );
  process.exit(1);
});
