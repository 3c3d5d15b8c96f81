import type { ReplaySettings } from './replay-settings';

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

/** Limits and windows of REST event ingestion (POST /v1/streams/{stream}/events). */
export interface IngestSettings {
  /** Largest payload of one event, in bytes as sent. */
  maxEventBytes: number;
  /** Largest request body (one event, a JSON array or NDJSON), in bytes. */
  maxRequestBytes: number;
  /** Most events one request may carry. */
  maxEventsPerRequest: number;
  /** Deepest nesting of arrays and objects accepted in one payload (a scalar is 0). */
  maxPayloadDepth: number;
  /** How long an Idempotency-Key or an event id is remembered. */
  idempotencyWindowSeconds: number;
  /** Events this process may have in flight to the broker before it answers 503. */
  maxInFlightEvents: number;
  /** A publish not acknowledged by the broker within this time fails (and the request gets 503). */
  sendTimeoutMs: number;
  /** Retry-After sent with a 503 when Pulsar is slow or unreachable. */
  retryAfterSeconds: number;
  /**
   * How long a stream's record and compiled schema validator are reused from memory by ingestion and HTTP
   * consumption; a schema change or deletion made on another API instance is seen within it (at once on
   * the instance that made it). 0 reads Postgres on every request.
   */
  streamCacheTtlMs: number;
  /** How often each API instance deletes idempotency claims older than the window (ms); 0 never. */
  idempotencyCleanupIntervalMs: number;
}

/** HTTP consumption (POST /v1/streams/{stream}/subscriptions/{sub}/messages:pull, :ack, :nack). */
export interface ConsumeSettings {
  /** Lease of a pulled message when the pull names none; unacked past it, the message is redelivered. */
  defaultLeaseMs: number;
  /** Longest lease (and nack delay) a client may ask for. */
  maxLeaseMs: number;
  /** Longest long poll: a pull waits at most this long for a first message. */
  maxWaitMs: number;
  /** Leases one subscription's consumer may have outstanding in this process; pulls beyond get 429. */
  maxLeasesPerConsumer: number;
  /** A subscription's consumer unused (no pull, ack or nack, nothing leased) this long is closed. */
  idleConsumerMs: number;
  /** Redeliveries before a message goes to the dead-letter topic, unless the pull names its own. */
  maxRedeliveries: number;
  /** Messages each consumer prefetches per partition (withheld from the subscription's other consumers). */
  receiverQueueSize: number;
  /** HMAC key of lease tokens, shared by API instances so any settles any lease; undefined: one per process. */
  leaseTokenSecret: string | undefined;
  /**
   * How an HTTP ack reaches the broker before it is answered. `committed`: in a Pulsar transaction whose
   * commit the answer waits for, so the ack survives a broker or API crash. `buffered`: through the client's
   * ack buffer, answered at once; a crash can lose the acks of its last moments (redelivered, never lost).
   */
  ackMode: ConsumeAckMode;
}

export const CONSUME_ACK_MODES = ['committed', 'buffered'] as const;
export type ConsumeAckMode = (typeof CONSUME_ACK_MODES)[number];

/** API keys: the per-key rate limit (a token bucket per key in each API process). */
export interface AuthSettings {
  /** Requests a key may make per second, sustained; 0 turns the limit off. */
  rateLimitPerSecond: number;
  /** Requests a key may make in a burst above the sustained rate (the bucket's size). */
  rateLimitBurst: number;
  /**
   * How long a verified API key is trusted from memory before Postgres is asked again; a revocation or
   * rotation made on another API instance takes effect within it (at once on the instance that made it).
   * 0 asks Postgres on every request.
   */
  keyCacheTtlMs: number;
}

/** The API process: where its HTTP server listens. */
export interface ApiSettings {
  /** Address to listen on: loopback by default, 0.0.0.0 (every interface) in the container images. */
  host: string;
  port: number;
}

/** The worker process: where its operational HTTP server listens, and how it runs pipeline stages. */
export interface WorkersSettings {
  /** Address of /health and /metrics: loopback by default, 0.0.0.0 in the container images. */
  host: string;
  port: number;
  /** How often the stored pipelines are re-read, so a change is picked up without a restart. */
  pipelinePollIntervalMs: number;
  /** On SIGTERM (or a pipeline change), how long stages may take to finish their in-flight events. */
  drainTimeoutMs: number;
  /**
   * Which stages this process runs, as `pipeline/stage` or `pipeline/*`; empty runs every stored stage.
   * One deployment per stage lets each scale on its own subscription's backlog.
   */
  stages: string[];
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
  readonly api: ApiSettings;
  readonly workers: WorkersSettings;
  readonly log: { level: LogLevel };
  readonly pulsar: PulsarSettings;
  readonly tier: TierSettings;
  readonly s3: S3Settings;
  readonly ingest: IngestSettings;
  readonly consume: ConsumeSettings;
  readonly auth: AuthSettings;
  readonly database: DatabaseSettings;
  readonly replay: ReplaySettings;

  constructor(settings: GyreConfig) {
    this.api = settings.api;
    this.workers = settings.workers;
    this.log = settings.log;
    this.pulsar = settings.pulsar;
    this.tier = settings.tier;
    this.s3 = settings.s3;
    this.ingest = settings.ingest;
    this.consume = settings.consume;
    this.auth = settings.auth;
    this.database = settings.database;
    this.replay = settings.replay;
  }
}

/** What the stack command gets: it may run before any database exists (it starts one). */
export type StackConfig = Omit<GyreConfig, 'database'> & {
  database: { url: string | undefined; embeddedPort: number };
};
