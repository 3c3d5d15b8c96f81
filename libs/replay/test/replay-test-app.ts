import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GyreCoreModule } from '@gyre/core';
import { ReplayModule } from '@gyre/replay';
import { StreamsModule } from '@gyre/streams';
import { testLogger } from '../../../tools/testing';

/** Short leases and frequent checkpoints, so a takeover after a worker's death is quick to see. */
export const FAST_RUNNER = {
  leaseMs: 2000,
  pollIntervalMs: 200,
  checkpointEveryEvents: 10,
  checkpointIntervalMs: 200,
  exportPartEvents: 25,
  exportPartIntervalMs: 300,
};

/** The replay domain in a Nest app (migrations run), as the API and the workers assemble it. */
export async function createReplayTestApp(level: 'error' | 'warn' = 'error') {
  @Module({
    imports: [
      GyreCoreModule.forRoot({ applicationName: 'gyre-replay-test', migrationsRun: true }),
      StreamsModule,
      ReplayModule.forRoot(FAST_RUNNER),
    ],
  })
  class ReplayTestModule {}
  const app = await NestFactory.createApplicationContext(ReplayTestModule, {
    logger: testLogger(level),
  });
  await app.init();
  return app;
}
