import 'reflect-metadata';
import { loadGyreConfig } from '@gyre/config';
import { JsonLogger } from '@gyre/logging';
import { createWorkersApp } from '../../../apps/workers/src/workers-app';
import { referenceLoopWorkers } from './reference-loop.module';

/** The generic workers with the fraud loop's handlers and label source: what the demo (npm start) runs. */
async function main(): Promise<void> {
  const config = loadGyreConfig();
  const logger = new JsonLogger({ level: config.log.level });
  const app = await createWorkersApp(logger, { extensions: [referenceLoopWorkers] });
  await app.listen(config.workers.port, config.workers.host);
  logger.log({ msg: 'workers listening', example: 'fraud-loop', port: config.workers.port }, 'Bootstrap');
}

main().catch((error: unknown) => {
  new JsonLogger({ level: 'error', sink: process.stderr }).fatal(
    { msg: `workers refused to start: ${error instanceof Error ? error.message : String(error)}` },
    error instanceof Error ? error : {},
    'Bootstrap',
  );
  process.exit(1);
});
