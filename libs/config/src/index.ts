export { ConfigurationError } from './configuration-error';
export type { ConfigProblem } from './configuration-error';
export { ENV_FILE_PATHS, readGyreEnv } from './env-files';
export type { Env } from './env-reader';
export { GyreConfig, LOG_LEVELS } from './gyre-config';
export type {
  ApiSettings,
  AuthSettings,
  DatabaseSettings,
  IngestSettings,
  LogLevel,
  PulsarSettings,
  S3Settings,
  StackConfig,
  TierSettings,
  WorkersSettings,
} from './gyre-config';
export type { ReplaySettings } from './replay-settings';
export { GyreConfigModule } from './gyre-config.module';
export { loadGyreConfig } from './load-gyre-config';
export { parseGyreConfig } from './parse-gyre-config';
