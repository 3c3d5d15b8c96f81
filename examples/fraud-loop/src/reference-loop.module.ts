import { Global, Injectable, Module } from '@nestjs/common';
import { ReplayLabelSource } from '@gyre/replay';
import { S3Storage, StorageModule } from '@gyre/storage';
import { DataSource } from 'typeorm';
import type { StageHandler } from '@gyre/pipelines';
import { FeedbackHandler } from './feedback.handler';
import { InferHandler } from './infer.handler';
import { LabelMaturityController } from './label-maturity.controller';
import { LabelMaturityStore } from './label-maturity.store';
import { LoopArtifactStore } from './loop-artifacts.store';
import { LoopLabelSource } from './loop-label-source';
import { LoopLineageController } from './loop-lineage.controller';
import { LoopLedgerStore } from './loop-ledger.store';
import { LoopMonitoringController } from './loop-monitoring.controller';
import { LoopMonitoringMetrics } from './loop-monitoring.metrics';
import { LoopMonitoringSchedule } from './loop-monitoring.schedule';
import { LoopMonitoring } from './loop-monitoring.service';
import { LoopReport } from './loop-report';
import { LoopStateStore } from './loop-state.store';
import { ModelRolesController } from './model-roles.controller';
import { ModelRolesStore } from './model-roles.store';
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
  const roles = new ModelRolesStore(dataSource);
  return [
    new PrepareHandler(state),
    new InferHandler(new ServingModels(roles, artifacts, options.modelRefreshMs)),
    new FeedbackHandler(state),
    new TrainHandler(ledger, artifacts, roles),
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

/**
 * The loop in a workers process: its handlers, and its labels for feature rebuilds. Global so that replay
 * (imported by the workers before this module) finds the ReplayLabelSource. Needs DatabaseModule and
 * GyreConfigModule imported by the app.
 */
@Global()
@Module({
  imports: [StorageModule],
  providers: [ReferenceLoopHandlers, { provide: ReplayLabelSource, useClass: LoopLabelSource }],
  exports: [ReferenceLoopHandlers, ReplayLabelSource],
})
export class ReferenceLoopModule {}

/** What the workers app composes in (WorkersOptions.extensions): the module and its handler list. */
export const referenceLoopWorkers = { module: ReferenceLoopModule, handlers: ReferenceLoopHandlers };

/**
 * The loop in the API: its lineage, monitoring, champion/challenger and label-maturity routes under /admin
 * (admin keys, like every /admin route), and the monitoring of each epoch as it closes.
 */
@Module({
  imports: [StorageModule],
  controllers: [
    LoopLineageController,
    LoopMonitoringController,
    ModelRolesController,
    LabelMaturityController,
  ],
  providers: [
    LoopReport,
    LoopMonitoring,
    LoopMonitoringMetrics,
    LoopMonitoringSchedule,
    { provide: ModelRolesStore, useFactory: (d: DataSource) => new ModelRolesStore(d), inject: [DataSource] },
    {
      provide: LabelMaturityStore,
      useFactory: (d: DataSource) => new LabelMaturityStore(d),
      inject: [DataSource],
    },
  ],
})
export class ReferenceLoopApiModule {}
