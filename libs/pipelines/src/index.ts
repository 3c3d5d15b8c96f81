/** @gyre/pipelines: stages, handlers and the stage runtime of Gyre's feedback loops. */
export type {
  Pipeline,
  PipelineDefinition,
  RetryPolicy,
  StageDefinition,
  StageInitialPosition,
  StageSubscriptionType,
} from './definition/pipeline-definition';
export {
  DEFAULT_BATCH_MAX_WAIT_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_RETRY_POLICY,
} from './definition/pipeline-definition';
export { parsePipelineDefinition } from './definition/parse-pipeline-definition';
export { selectStages } from './definition/stage-selection';
export { HandlerError, PipelineError } from './errors';
export type { PipelineErrorCode } from './errors';
export type {
  AnyStageHandler,
  BatchItemResult,
  BatchStageHandler,
  StageContext,
  StageEvent,
  StageHandler,
  StageOutput,
} from './handler/stage-handler';
export { isBatchHandler } from './handler/stage-handler';
export { HandlerRegistry } from './handler/handler-registry';
export { inferHandler, outputOf, prepareHandler, trainHandler } from './handler/ml-handlers';
export type { InferDefinition, PrepareDefinition, TrainDefinition } from './handler/ml-handlers';
export { deriveOutputId } from './runtime/output-id';
export type { EncodedOutput } from './runtime/message-codec';
export { executeStage } from './runtime/stage-execution';
export type { ExecutionResult, StageExecution } from './runtime/stage-execution';
export { attemptBatch } from './runtime/stage-attempt';
export type { StageAttempt } from './runtime/stage-attempt';
export { toStageEvent } from './runtime/stage-event';
export type { EventSource } from './runtime/stage-event';
export type { OutputIdSource } from './runtime/output-id';
export { backoffDelay, decideOnFailure } from './runtime/retry-policy';
export type { FailureDecision } from './runtime/retry-policy';
export { StageMetrics, StageMetricsRegistry } from './runtime/stage-metrics';
export type { HandlerSecondsListener } from './runtime/stage-metrics';
export type { StageMetricsSnapshot } from './runtime/stage-metrics';
export { StageRunner } from './runtime/stage-runner';
export type { StageRunnerOptions, StageRunnerState } from './runtime/stage-runner';
export { StageSupervisor } from './runtime/stage-supervisor';
export type { StageStatus, StageSupervisorOptions } from './runtime/stage-supervisor';
export { PipelineService } from './store/pipeline.service';
export type { SavePipelineOptions } from './store/pipeline.service';
export { PipelineWatcher } from './store/pipeline-watcher';
export { WorkerStatusStore } from './store/worker-status.store';
export type { WorkerIdentity, WorkerStageReport, WorkerStageRow } from './store/worker-status.store';
export { PipelineStatusService, WORKER_STALE_AFTER_MS } from './store/pipeline-status.service';
export type {
  PipelineStatusView,
  StageLag,
  StageStatusView,
  StageWorkerStatus,
} from './store/pipeline-status.service';
export type { PipelineSource, PipelineTarget } from './store/pipeline-watcher';
export { PipelinesModule } from './pipelines.module';
