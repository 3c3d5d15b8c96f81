/** @gyre/ml: the ML building blocks of Gyre's feedback loops. Pure domain logic: no Nest, no Pulsar. */
export { MlError } from './ml-error';
export type { MlErrorCode } from './ml-error';
export { hashSeed, Random } from './random/random';

export type {
  CardTransaction,
  OutcomeLabel,
  OutcomeSource,
  TransactionOutcome,
} from './synthetic/transaction';
export { DEFAULT_OUTCOME_DELAYS, generateFraudScenario } from './synthetic/fraud-scenario';
export type { FraudScenario, FraudScenarioOptions, OutcomeDelays } from './synthetic/fraud-scenario';
export { BASELINE_CONDITIONS, DRIFT_MODES, driftSchedule } from './synthetic/drift-schedule';
export type { DriftMode, DriftScheduleOptions, WorldConditions } from './synthetic/drift-schedule';
export { generateDriftingScenario } from './synthetic/drifting-scenario';
export type { DriftingScenarioOptions, ScenarioEpoch } from './synthetic/drifting-scenario';

export { CardState, MAX_WINDOW_MS } from './features/card-state';
export type { CardStateSnapshot } from './features/card-state';
export { CardHistory } from './features/card-history';
export type { CardHistorySnapshot, PendingTransaction } from './features/card-history';
export { LabelRateTable } from './features/label-rate-table';
export type { LabelRateSnapshot, SmoothedRate } from './features/label-rate-table';
export {
  computeFeatureVector,
  FEATURE_CATALOG,
  featureDefinitionKey,
  FRAUD_FEATURES_V1,
  FRAUD_FEATURES_V2,
  validateFeatureDefinition,
} from './features/feature-definition';
export {
  FEATURE_DEFINITIONS,
  featureDefinitionVersions,
  resolveFeatureDefinition,
} from './features/feature-registry';
export type { FeatureDefinition, FeatureInputs, FeatureName } from './features/feature-definition';
export {
  buildFeatureRows,
  FraudFeatureState,
  RISK_PRIOR,
  RISK_STRENGTH,
} from './features/fraud-feature-state';
export type { FeatureRow } from './features/fraud-feature-state';

export { scoreVector, sigmoid } from './model/logistic-model';
export type { LogisticModel, Standardization, TrainingMetadata } from './model/logistic-model';
export { trainLogisticRegression } from './model/train-logistic-regression';
export type { TrainingOptions } from './model/train-logistic-regression';
export {
  canonicalJson,
  MODEL_ARTIFACT_FORMAT,
  MODEL_ARTIFACT_FORMAT_VERSION,
  parseModelArtifact,
  serializeModel,
} from './model/model-artifact';
export type { ModelArtifact } from './model/model-artifact';

export { brierScore, calibration, evaluate, LOG_LOSS_EPSILON, logLoss, rocAuc } from './evaluation/metrics';
export type { Calibration, Evaluation, ReliabilityBin } from './evaluation/metrics';
export { isHeldOut, splitByEventId } from './evaluation/held-out-split';
export { changeOf, comparePaired, compareUnpaired, quantile } from './evaluation/bootstrap';
export type {
  BootstrapOptions,
  Change,
  Interval,
  PairedComparison,
  ScoredExamples,
  UnpairedComparison,
} from './evaluation/bootstrap';
export { populationStability, PSI_FLOOR, psiFromShares } from './monitoring/population-stability';
export { featureDrift } from './monitoring/feature-drift';
export type { FeatureDrift } from './monitoring/feature-drift';
export { monitorModel } from './monitoring/model-monitoring';
export type {
  ModelMonitoring,
  MonitoredWindow,
  MonitoringReference,
  ReliabilityPoint,
} from './monitoring/model-monitoring';
export {
  applyThresholdChanges,
  DEFAULT_MONITORING_THRESHOLDS,
  featurePsiThreshold,
  judgedMeasures,
  thresholdCrossings,
} from './monitoring/monitoring-thresholds';
export type {
  MonitoredMeasure,
  MonitoringThresholds,
  ThresholdCrossing,
} from './monitoring/monitoring-thresholds';
export { datasetCard } from './monitoring/dataset-card';
export type { CardRow, DatasetCard, FeatureSummary } from './monitoring/dataset-card';

export type { Scorer } from './inference/scorer';
export { BuiltInScorer } from './inference/built-in-scorer';
export { OpenInferenceScorer } from './inference/open-inference-scorer';
export type { OpenInferenceScorerOptions } from './inference/open-inference-scorer';
export type {
  V2Datatype,
  V2InferenceRequest,
  V2InferenceResponse,
  V2ModelMetadata,
  V2Tensor,
  V2TensorMetadata,
} from './inference/open-inference-protocol';
