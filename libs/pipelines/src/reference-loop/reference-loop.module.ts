import { Injectable, Module } from '@nestjs/common';
import { S3Storage, StorageModule } from '@gyre/storage';
import { DataSource } from 'typeorm';
import type { StageHandler } from '../handler/stage-handler';
import { FeedbackHandler } from './feedback.handler';
import { InferHandler } from './infer.handler';
import { LoopArtifactStore } from './loop-artifacts.store';
import { LoopLedgerStore } from './loop-ledger.store';
import { LoopStateStore } from './loop-state.store';
import { PrepareHandler } from './prepare.handler';
import { ServingModels } from './serving-models';
import { TrainHandler } from './train.handler';

/** The fraud loop's four handlers over Postgres and S3: what a workers process registers. */
export function createReferenceLoopHandlers(
  dataSource: DataSource,
  storage: S3Storage,
  options: { modelRefreshMs?: number } = {},
): StageHandler[] {
  const state = new LoopStateStore(dataSource);
  const ledger = new LoopLedgerStore(dataSource);
  const artifacts = new LoopArtifactStore(storage);
  return [
    new PrepareHandler(state),
    new InferHandler(new ServingModels(ledger, artifacts, options.modelRefreshMs)),
    new FeedbackHandler(state),
    new TrainHandler(ledger, artifacts),
  ] as StageHandler[];
}

/** The reference loop's handlers as a Nest provider. */
@Injectable()
export class ReferenceLoopHandlers {
  readonly handlers: readonly StageHandler[];

  constructor(dataSource: DataSource, storage: S3Storage) {
    this.handlers = createReferenceLoopHandlers(dataSource, storage);
  }
}

/** Provides ReferenceLoopHandlers; needs DatabaseModule and GyreConfigModule imported by the app. */
@Module({
  imports: [StorageModule],
  providers: [ReferenceLoopHandlers],
  exports: [ReferenceLoopHandlers],
})
export class ReferenceLoopModule {}
