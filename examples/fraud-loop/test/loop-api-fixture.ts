import type { INestApplication, LoggerService } from '@nestjs/common';
import { createApiApp } from '../../../apps/api/src/api-app';
import { issueKey, TestKey } from '../../../apps/api/test/auth-helpers';
import { testLogger } from '../../../tools/testing';
import { REFERENCE_LOOP_MIGRATIONS, ReferenceLoopApiModule } from '../src';

/** The API with the fraud loop's routes and migrations, initialised, and an admin key for it. */
export async function startLoopApi(
  logger: LoggerService = testLogger('error'),
): Promise<{ app: INestApplication; operator: TestKey }> {
  const app = await createApiApp(logger, {
    extensions: [ReferenceLoopApiModule],
    migrations: REFERENCE_LOOP_MIGRATIONS,
  });
  return { app, operator: await issueKey(app, 'admin') };
}
