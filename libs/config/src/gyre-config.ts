export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface PulsarSettings {
  serviceUrl: string;
  adminUrl: string;
  /** Undefined when the broker runs without token authentication. */
  authToken: string | undefined;
  tenant: string;
  namespace: string;
  cluster: string;
}

export interface TierSettings {
  offloadThresholdBytes: number;
  offloadDeletionLagMs: number;
}

export interface S3Settings {
  /** Undefined on AWS, where the SDK derives the endpoint from the region. */
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** Undefined means the SDK's default credential chain (instance role, profile, ...). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  buckets: { datasets: string; models: string; tiered: string };
}

export interface DatabaseSettings {
  url: string;
  embeddedPort: number;
}

/**
 * Every Gyre setting, typed and validated. A class so Nest can inject it by type;
 * built only by parseGyreConfig, so holding one means the configuration was valid.
 */
export class GyreConfig {
  readonly api: { port: number };
  readonly workers: { port: number };
  readonly log: { level: LogLevel };
  readonly pulsar: PulsarSettings;
  readonly tier: TierSettings;
  readonly s3: S3Settings;
  readonly database: DatabaseSettings;

  constructor(settings: GyreConfig) {
    this.api = settings.api;
    this.workers = settings.workers;
    this.log = settings.log;
    this.pulsar = settings.pulsar;
    this.tier = settings.tier;
    this.s3 = settings.s3;
    this.database = settings.database;
  }
}

/** What the stack command gets: it may run before any database exists (it starts one). */
export type StackConfig = Omit<GyreConfig, 'database'> & {
  database: { url: string | undefined; embeddedPort: number };
};
