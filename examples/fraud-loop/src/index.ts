/**
 * @gyre/example-fraud-loop: the reference fraud loop, an example built on Gyre's public libs: stage
 * handlers binding @gyre/ml to the stage runtime, their stores, the lineage report and routes, and the
 * Nest modules its entry points (main-api.ts, main-workers.ts) compose into the generic apps.
 */
export * from './loop-contracts';
export { PrepareHandler } from './prepare.handler';
export type {
  CardFeatureStore,
  CardStep,
  LabelCounts,
  LabelCountsQuery,
  RecordedFeatures,
} from './prepare.handler';
export { InferHandler } from './infer.handler';
export type { ServingModel, ServingModelSource } from './infer.handler';
export { FeedbackHandler } from './feedback.handler';
export type { JoinRow, PredictionLabelJoin } from './feedback.handler';
export { TrainHandler } from './train.handler';
export type {
  ChallengerPromotion,
  LoopArtifacts,
  NewModelVersion,
  StoredDataset,
  TrainingClaim,
  TrainingLedger,
} from './train.handler';
export { liveMetrics, trainNextModel } from './train-model';
export type { ExampleRow, LiveMetrics, TrainingPlan, TrainingRun } from './train-model';
export { LoopStateStore } from './loop-state.store';
export { LoopLedgerStore } from './loop-ledger.store';
export { assignTrainedRole, LOOP_ACTORS, ModelRolesStore } from './model-roles.store';
export type {
  ModelRolesView,
  RoleChange,
  RoleChangeResult,
  ServingRoles,
  StoredModel,
} from './model-roles.store';
export {
  compareOnMatured,
  DEFAULT_PROMOTION_POLICY,
  promotionPolicyOf,
  promotionVerdict,
} from './promotion-policy';
export type {
  ChallengerComparison,
  MaturedPair,
  ModelRole,
  PromotionPolicy,
  VersionScore,
} from './promotion-policy';
export { datasetKey, LoopArtifactStore, modelKey } from './loop-artifacts.store';
export { ServingModels } from './serving-models';
export { LoopReport } from './loop-report';
export { MATURITY_HORIZONS, maturityByEpoch } from './label-maturity';
export type { EpochMaturity, MaturedMetrics, MaturityHorizon, MaturityRow } from './label-maturity';
export { LabelMaturityStore } from './label-maturity.store';
export type {
  EpochLineage,
  EpochScoring,
  EpochSummary,
  ModelVersionView,
  PredictionLineage,
} from './loop-report';
export { LoopMonitoring, DEFAULT_ROLLING_WINDOW } from './loop-monitoring.service';
export type {
  CrossingReport,
  MonitoringQuery,
  MonitoringReport,
  MonitoringWindowKind,
  WindowMonitoring,
} from './loop-monitoring.service';
export { LoopMonitoringSchedule, MONITORING_CHECK_INTERVAL_MS } from './loop-monitoring.schedule';
export { LoopMonitoringStore, MONITORING_ACTOR } from './loop-monitoring.store';
export type {
  MonitoredPrediction,
  ModelReferenceSource,
  MonitoringRole,
  WindowQuery,
} from './loop-monitoring.store';
export {
  DEFAULT_PREPARE_ALLOWED_LATENESS_MS,
  referenceLoopDefinition,
  referenceLoopStreams,
} from './reference-loop-pipeline';
export type { ReferenceLoopSettings, ReferenceLoopStreams } from './reference-loop-pipeline';
export {
  createReferenceLoopHandlers,
  ReferenceLoopApiModule,
  ReferenceLoopHandlers,
  ReferenceLoopModule,
  referenceLoopWorkers,
} from './reference-loop.module';
export { LoopLabelSource } from './loop-label-source';
export { REFERENCE_LOOP_MIGRATIONS } from './migrations/reference-loop-migrations';
