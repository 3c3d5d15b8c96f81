/** @gyre/replay: replay jobs (a stream's history into a target), their checkpoints and the runner. */
export { ReplayModule } from './replay.module';
export { ReplayService } from './jobs/replay.service';
export type { ReplayJobView, ReplayPartitionProgress } from './jobs/replay-view';
export { ReplayRunner } from './runner/replay-runner';
export { ReplayRunnerSettings } from './runner/replay-runner-settings';
export { FeatureVersionService, parseFeatureVersionSwitch } from './rebuild/feature-version.service';
export type { FeatureVersionSwitch, FeatureVersionSwitched } from './rebuild/feature-version.service';
export { ReplayLabelSource } from './rebuild/replay-label-source';
export type { ReplayDatasetPart, ReplayDatasetRecord } from './jobs/replay-dataset.store';
export { exportColumns, EXPORT_COLUMNS, PAYLOAD_JSON_COLUMN } from './model/export-columns';
export { trainingColumns } from './jobs/replay-targets';
export { ReplayError } from './errors';
export type { ReplayErrorCode, ReplayProblem } from './errors';
export { parseReplayRequest } from './model/parse-replay-request';
export type {
  ReplayEnd,
  ReplayFilter,
  ReplayRequest,
  ReplayStart,
  ReplayTarget,
  ReplayTargetKind,
} from './model/replay-spec';
export type { ReplayAction } from './model/job-state';
export { replayEventId } from './model/event-id';
export type { FeatureRowReader, FeatureVectorPayload } from './runner/feature-row';
