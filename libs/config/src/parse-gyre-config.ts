import { ConfigurationError } from './configuration-error';
import { Env, EnvReader } from './env-reader';
import {
  AuthSettings,
  ConsumeSettings,
  GyreConfig,
  IngestSettings,
  CONSUME_ACK_MODES,
  LOG_LEVELS,
  S3Settings,
  StackConfig,
} from './gyre-config';
import { readReplay } from './replay-settings';

// Pulsar's rule for tenant, namespace and cluster names (NamedEntity in the broker).
const PULSAR_NAME = /^[-=:.\w]+$/;
// S3 bucket naming rules, minus the rarely hit ones (IP-address look-alikes, xn-- prefixes).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface ParseOptions {
  /** The stack command reads the configuration before it has started the database it will point to. */
  requireDatabaseUrl?: boolean;
}

/**
 * The schema of .env.example: defaults are the local stack's (the values in .env.example),
 * except DATABASE_URL, which has none. Throws ConfigurationError naming every bad key.
 */
export function parseGyreConfig(env: Env): GyreConfig;
export function parseGyreConfig(env: Env, options: { requireDatabaseUrl: false }): StackConfig;
export function parseGyreConfig(env: Env, options: ParseOptions = {}): GyreConfig | StackConfig {
  const read = new EnvReader(env);
  const pulsarName = (value: string) =>
    PULSAR_NAME.test(value) ? undefined : 'may only contain letters, digits, and - _ . = :';

  // Loopback unless told otherwise: a local run is not reachable from the network by accident.
  const api = { host: read.host('API_HOST', '127.0.0.1'), port: read.port('API_PORT', 3000) };
  const workers = {
    host: read.host('WORKERS_HOST', '127.0.0.1'),
    port: read.port('WORKERS_PORT', 3001),
    pipelinePollIntervalMs: read.integer('WORKERS_PIPELINE_POLL_INTERVAL_MS', 5000, {
      min: 100,
      max: 3_600_000,
    }),
    drainTimeoutMs: read.integer('WORKERS_DRAIN_TIMEOUT_MS', 30_000, { min: 0, max: 600_000 }),
    stages: readStageSelectors(read),
  };
  if (api.port === workers.port)
    read.problem('WORKERS_PORT', `must differ from API_PORT (both are ${api.port})`);

  const settings = {
    api,
    workers,
    log: { level: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS) },
    pulsar: {
      serviceUrl: read.url('PULSAR_SERVICE_URL', 'pulsar://127.0.0.1:6650', ['pulsar', 'pulsar+ssl']),
      adminUrl: read.url('PULSAR_ADMIN_URL', 'http://127.0.0.1:8080', ['http', 'https']).replace(/\/+$/, ''),
      authToken: readAuthToken(read),
      tenant: read.text('GYRE_TENANT', 'gyre', pulsarName),
      namespace: read.text('GYRE_NAMESPACE', 'streams', pulsarName),
      cluster: read.text('PULSAR_CLUSTER', 'standalone', pulsarName),
    },
    tier: {
      offloadThresholdBytes: read.integer('TIER_OFFLOAD_THRESHOLD_BYTES', 67_108_864, {
        min: -1,
        max: Number.MAX_SAFE_INTEGER,
      }),
      offloadDeletionLagMs: read.integer('TIER_OFFLOAD_DELETION_LAG_MS', 3_600_000, {
        min: 0,
        max: Number.MAX_SAFE_INTEGER,
      }),
    },
    s3: readS3(read),
    ingest: readIngest(read),
    consume: readConsume(read),
    auth: readAuth(read),
    replay: readReplay(read),
    database: {
      url: readDatabaseUrl(read, options.requireDatabaseUrl ?? true),
      embeddedPort: read.port('EMBEDDED_POSTGRES_PORT', 54329),
    },
  };

  if (read.problems.length > 0) throw new ConfigurationError(read.problems);
  return options.requireDatabaseUrl === false ? settings : new GyreConfig(settings as GyreConfig);
}

function readIngest(read: EnvReader): IngestSettings {
  const positive = (key: string, fallback: number, max = Number.MAX_SAFE_INTEGER) =>
    read.integer(key, fallback, { min: 1, max });
  const ingest = {
    maxEventBytes: positive('INGEST_MAX_EVENT_BYTES', 1_048_576),
    maxRequestBytes: positive('INGEST_MAX_REQUEST_BYTES', 16_777_216),
    maxEventsPerRequest: positive('INGEST_MAX_EVENTS_PER_REQUEST', 10_000),
    maxPayloadDepth: positive('INGEST_MAX_PAYLOAD_DEPTH', 64, 1000),
    idempotencyWindowSeconds: positive('INGEST_IDEMPOTENCY_WINDOW_SECONDS', 86_400),
    maxInFlightEvents: positive('INGEST_MAX_IN_FLIGHT_EVENTS', 50_000),
    sendTimeoutMs: positive('INGEST_SEND_TIMEOUT_MS', 10_000),
    retryAfterSeconds: positive('INGEST_RETRY_AFTER_SECONDS', 5, 3600),
    streamCacheTtlMs: read.integer('STREAM_CACHE_TTL_MS', 5000, { min: 0, max: 300_000 }),
    idempotencyCleanupIntervalMs: read.integer('INGEST_IDEMPOTENCY_CLEANUP_INTERVAL_MS', 60_000, {
      min: 0,
      max: 86_400_000,
    }),
  };
  // An event larger than the request could never be accepted: the limits would contradict each other.
  if (ingest.maxEventBytes > ingest.maxRequestBytes)
    read.problem(
      'INGEST_MAX_EVENT_BYTES',
      `must not exceed INGEST_MAX_REQUEST_BYTES (${ingest.maxRequestBytes})`,
      String(ingest.maxEventBytes),
    );
  return ingest;
}

function readConsume(read: EnvReader): ConsumeSettings {
  const consume = {
    defaultLeaseMs: read.integer('CONSUME_DEFAULT_LEASE_MS', 30_000, { min: 1000, max: 3_600_000 }),
    maxLeaseMs: read.integer('CONSUME_MAX_LEASE_MS', 600_000, { min: 1000, max: 3_600_000 }),
    maxWaitMs: read.integer('CONSUME_MAX_WAIT_MS', 30_000, { min: 0, max: 300_000 }),
    maxLeasesPerConsumer: read.integer('CONSUME_MAX_LEASES_PER_CONSUMER', 10_000, { min: 1, max: 1_000_000 }),
    idleConsumerMs: read.integer('CONSUME_IDLE_CONSUMER_MS', 60_000, { min: 1000, max: 86_400_000 }),
    maxRedeliveries: read.integer('CONSUME_MAX_REDELIVERIES', 5, { min: 0, max: 1000 }),
    receiverQueueSize: read.integer('CONSUME_RECEIVER_QUEUE_SIZE', 100, { min: 1, max: 10_000 }),
    leaseTokenSecret: read.value('CONSUME_LEASE_TOKEN_SECRET'),
    ackMode: read.oneOf('CONSUME_ACK_MODE', 'committed', CONSUME_ACK_MODES),
  };
  if (consume.defaultLeaseMs > consume.maxLeaseMs)
    read.problem(
      'CONSUME_DEFAULT_LEASE_MS',
      `must not exceed CONSUME_MAX_LEASE_MS (${consume.maxLeaseMs})`,
      String(consume.defaultLeaseMs),
    );
  // Never echoed: it is a secret.
  if (consume.leaseTokenSecret !== undefined && consume.leaseTokenSecret.length < 32)
    read.problem('CONSUME_LEASE_TOKEN_SECRET', 'must be at least 32 characters');
  return consume;
}

function readAuth(read: EnvReader): AuthSettings {
  return {
    rateLimitPerSecond: read.integer('AUTH_RATE_LIMIT_PER_SECOND', 1000, { min: 0, max: 1_000_000 }),
    rateLimitBurst: read.integer('AUTH_RATE_LIMIT_BURST', 2000, { min: 1, max: 10_000_000 }),
    keyCacheTtlMs: read.integer('AUTH_KEY_CACHE_TTL_MS', 5000, { min: 0, max: 300_000 }),
  };
}

function readAuthToken(read: EnvReader): string | undefined {
  const token = read.value('PULSAR_AUTH_TOKEN');
  if (token !== undefined && /\s/.test(token))
    read.problem('PULSAR_AUTH_TOKEN', 'must not contain whitespace');
  return token;
}

function readDatabaseUrl(read: EnvReader, required: boolean): string | undefined {
  if (!required && read.value('DATABASE_URL') === undefined) return undefined;
  return read.url('DATABASE_URL', undefined, ['postgres', 'postgresql']);
}

function readS3(read: EnvReader): S3Settings {
  // Unset means the local stack; set but blank means "none": AWS derives the endpoint from the region.
  const endpoint = read.isSet('S3_ENDPOINT')
    ? read.value('S3_ENDPOINT') && read.url('S3_ENDPOINT', undefined, ['http', 'https'])
    : 'http://127.0.0.1:4566';
  const bucket = (key: string, fallback: string) =>
    read.text(key, fallback, (name) =>
      BUCKET_NAME.test(name) && !name.includes('..')
        ? undefined
        : 'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens)',
    );
  const buckets = {
    datasets: bucket('S3_BUCKET_DATASETS', 'gyre-datasets'),
    models: bucket('S3_BUCKET_MODELS', 'gyre-models'),
    tiered: bucket('S3_BUCKET_TIERED', 'gyre-tiered'),
  };
  // Pulsar's offloader owns the tiered bucket; sharing buckets would mix ledgers, datasets and models.
  const owners = new Map<string, string>();
  for (const [key, name] of [
    ['S3_BUCKET_DATASETS', buckets.datasets],
    ['S3_BUCKET_MODELS', buckets.models],
    ['S3_BUCKET_TIERED', buckets.tiered],
  ]) {
    const owner = owners.get(name);
    if (owner) read.problem(key, `must differ from ${owner}`, name);
    owners.set(name, owner ?? key);
  }
  return {
    endpoint: endpoint || undefined,
    region: read.text('S3_REGION', 'us-east-1', (region) =>
      /^[a-z0-9-]+$/.test(region) ? undefined : 'must be a region name such as us-east-1',
    ),
    forcePathStyle: read.boolean('S3_FORCE_PATH_STYLE', true),
    credentials: readS3Credentials(read),
    buckets,
  };
}

function readS3Credentials(read: EnvReader): S3Settings['credentials'] {
  const unsetOrDefault = (key: string) => (read.isSet(key) ? read.value(key) : 'test');
  const accessKeyId = unsetOrDefault('S3_ACCESS_KEY_ID');
  const secretAccessKey = unsetOrDefault('S3_SECRET_ACCESS_KEY');
  if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  if (accessKeyId) read.problem('S3_SECRET_ACCESS_KEY', 'is required when S3_ACCESS_KEY_ID is set');
  if (secretAccessKey) read.problem('S3_ACCESS_KEY_ID', 'is required when S3_SECRET_ACCESS_KEY is set');
  return undefined;
}

const STAGE_SELECTOR = /^[^/\s]+\/[^/\s]+$/;

/** WORKERS_STAGES: comma-separated `pipeline/stage` (or `pipeline/*`); blank or unset means every stage. */
function readStageSelectors(read: EnvReader): string[] {
  const value = read.value('WORKERS_STAGES');
  if (value === undefined) return [];
  const selectors = value.split(',').map((part) => part.trim());
  const bad = selectors.filter((selector) => !STAGE_SELECTOR.test(selector));
  if (bad.length > 0)
    read.problem('WORKERS_STAGES', 'must list pipeline/stage or pipeline/* separated by commas', value);
  return bad.length > 0 ? [] : [...new Set(selectors)];
}
