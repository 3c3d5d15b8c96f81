import { ConfigurationError } from './configuration-error';
import { GyreConfig } from './gyre-config';
import { parseGyreConfig } from './parse-gyre-config';

const DATABASE_URL = 'postgres://gyre:s3cret@127.0.0.1:5432/gyre';

function problemsFor(env: Record<string, string>): string[] {
  try {
    parseGyreConfig({ DATABASE_URL, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).settings.map((problem) => problem.message);
  }
  throw new Error('expected a ConfigurationError');
}

describe(parseGyreConfig.name, () => {
  it('parses the local stack defaults of .env.example when only DATABASE_URL is set', () => {
    const config = parseGyreConfig({ DATABASE_URL });

    expect(config).toBeInstanceOf(GyreConfig);
    expect(config).toEqual({
      api: { host: '127.0.0.1', port: 3000 },
      workers: {
        host: '127.0.0.1',
        port: 3001,
        pipelinePollIntervalMs: 5000,
        drainTimeoutMs: 30000,
        stages: [],
      },
      log: { level: 'info' },
      pulsar: {
        serviceUrl: 'pulsar://127.0.0.1:6650',
        adminUrl: 'http://127.0.0.1:8080',
        authToken: undefined,
        tenant: 'gyre',
        namespace: 'streams',
        cluster: 'standalone',
      },
      tier: { offloadThresholdBytes: 67108864, offloadDeletionLagMs: 3600000 },
      s3: {
        endpoint: 'http://127.0.0.1:4566',
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        buckets: { datasets: 'gyre-datasets', models: 'gyre-models', tiered: 'gyre-tiered' },
      },
      ingest: {
        maxEventBytes: 1048576,
        maxRequestBytes: 16777216,
        maxEventsPerRequest: 10000,
        maxPayloadDepth: 64,
        idempotencyWindowSeconds: 86400,
        maxInFlightEvents: 50000,
        sendTimeoutMs: 10000,
        retryAfterSeconds: 5,
        streamCacheTtlMs: 5000,
        idempotencyCleanupIntervalMs: 60000,
      },
      consume: {
        defaultLeaseMs: 30000,
        maxLeaseMs: 600000,
        maxWaitMs: 30000,
        maxLeasesPerConsumer: 10000,
        idleConsumerMs: 60000,
        maxRedeliveries: 5,
        receiverQueueSize: 100,
        leaseTokenSecret: undefined,
        ackMode: 'committed',
      },
      auth: { rateLimitPerSecond: 1000, rateLimitBurst: 2000, keyCacheTtlMs: 5000 },
      replay: {
        pollIntervalMs: 1000,
        leaseMs: 15_000,
        checkpointEveryEvents: 500,
        checkpointIntervalMs: 1000,
        maxInFlight: 1000,
        maxConcurrentJobs: 2,
        maxFailures: 5,
        retryAfterMs: 5000,
        exportPartEvents: 50_000,
        exportPartIntervalMs: 30_000,
      },
      database: { url: DATABASE_URL, embeddedPort: 54329 },
    });
  });

  it('parses explicit values, trimming blanks and the trailing slash of the admin URL', () => {
    const config = parseGyreConfig({
      DATABASE_URL,
      API_PORT: ' 8000 ',
      LOG_LEVEL: 'debug',
      PULSAR_SERVICE_URL: 'pulsar+ssl://broker.example.com:6651',
      PULSAR_ADMIN_URL: 'https://broker.example.com:8443/',
      PULSAR_AUTH_TOKEN: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
      TIER_OFFLOAD_THRESHOLD_BYTES: '-1',
      S3_FORCE_PATH_STYLE: 'false',
    });

    expect(config.api.port).toBe(8000);
    expect(config.log.level).toBe('debug');
    expect(config.pulsar.serviceUrl).toBe('pulsar+ssl://broker.example.com:6651');
    expect(config.pulsar.adminUrl).toBe('https://broker.example.com:8443');
    expect(config.pulsar.authToken).toBe('eyJhbGciOiJIUzI1NiJ9.e30.sig');
    expect(config.tier.offloadThresholdBytes).toBe(-1);
    expect(config.s3.forcePathStyle).toBe(false);
  });

  it('treats a blank S3_ENDPOINT and blank S3 credentials as AWS: no endpoint, default credential chain', () => {
    const config = parseGyreConfig({
      DATABASE_URL,
      S3_ENDPOINT: '',
      S3_ACCESS_KEY_ID: '',
      S3_SECRET_ACCESS_KEY: '',
    });

    expect(config.s3.endpoint).toBeUndefined();
    expect(config.s3.credentials).toBeUndefined();
  });

  it('treats a blank PULSAR_AUTH_TOKEN as no authentication', () => {
    expect(parseGyreConfig({ DATABASE_URL, PULSAR_AUTH_TOKEN: '' }).pulsar.authToken).toBeUndefined();
  });

  it('refuses to start when DATABASE_URL is missing or blank', () => {
    expect(() => parseGyreConfig({})).toThrow('DATABASE_URL is required');
    expect(() => parseGyreConfig({ DATABASE_URL: ' ' })).toThrow('DATABASE_URL is required');
  });

  it('lets the stack read the configuration without DATABASE_URL', () => {
    const config = parseGyreConfig({}, { requireDatabaseUrl: false });

    expect(config.database).toEqual({ url: undefined, embeddedPort: 54329 });
  });

  it('refuses to start when DATABASE_URL is not a postgres:// URL, without echoing the value', () => {
    const [problem] = problemsFor({ DATABASE_URL: 'mysql://root:hunter2@db/gyre' });

    expect(problem).toBe('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  it('refuses to start when PULSAR_SERVICE_URL is not a pulsar:// URL', () => {
    expect(problemsFor({ PULSAR_SERVICE_URL: 'bogus' })).toEqual([
      'PULSAR_SERVICE_URL must be a pulsar:// or pulsar+ssl:// URL (got "bogus")',
    ]);
    expect(problemsFor({ PULSAR_SERVICE_URL: 'http://127.0.0.1:6650' })).toHaveLength(1);
  });

  it('refuses to start when PULSAR_ADMIN_URL or S3_ENDPOINT is not an http(s) URL', () => {
    expect(
      problemsFor({ PULSAR_ADMIN_URL: 'pulsar://127.0.0.1:8080', S3_ENDPOINT: 'localhost:4566' }),
    ).toEqual([
      'PULSAR_ADMIN_URL must be a http:// or https:// URL (got "pulsar://127.0.0.1:8080")',
      'S3_ENDPOINT must be a http:// or https:// URL (got "localhost:4566")',
    ]);
  });

  it('refuses to start when a port is not an integer from 1 to 65535', () => {
    expect(
      problemsFor({ API_PORT: 'eighty', WORKERS_PORT: '70000', EMBEDDED_POSTGRES_PORT: '5432.5' }),
    ).toEqual([
      'API_PORT must be an integer from 1 to 65535 (got "eighty")',
      'WORKERS_PORT must be an integer from 1 to 65535 (got "70000")',
      'EMBEDDED_POSTGRES_PORT must be an integer from 1 to 65535 (got "5432.5")',
    ]);
  });

  it.each([
    ['every IPv4 interface', '0.0.0.0'],
    ['every IPv6 interface', '::'],
    ['an IPv6 address', 'fd00::1'],
    ['a host name', 'gyre-api.internal'],
    ['localhost', 'localhost'],
  ])('listens where API_HOST and WORKERS_HOST say: %s', (_case, host) => {
    const config = parseGyreConfig({ DATABASE_URL, API_HOST: ` ${host} `, WORKERS_HOST: host });

    expect(config.api.host).toBe(host);
    expect(config.workers.host).toBe(host);
  });

  it('refuses to start when API_HOST or WORKERS_HOST is neither an IP address nor a host name', () => {
    expect(problemsFor({ API_HOST: 'http://0.0.0.0', WORKERS_HOST: '300.1.1.1' })).toEqual([
      'API_HOST must be an IP address or a host name (got "http://0.0.0.0")',
      'WORKERS_HOST must be an IP address or a host name (got "300.1.1.1")',
    ]);
    expect(problemsFor({ API_HOST: '[::1]', WORKERS_HOST: '-gyre.internal' })).toHaveLength(2);
    expect(problemsFor({ API_HOST: 'gyre api', WORKERS_HOST: `${'a'.repeat(64)}.internal` })).toHaveLength(2);
  });

  it('reads how often workers poll the pipelines and how long they drain', () => {
    const config = parseGyreConfig({
      DATABASE_URL,
      WORKERS_PIPELINE_POLL_INTERVAL_MS: '250',
      WORKERS_DRAIN_TIMEOUT_MS: '0',
    });

    expect(config.workers).toEqual({
      host: '127.0.0.1',
      port: 3001,
      pipelinePollIntervalMs: 250,
      drainTimeoutMs: 0,
      stages: [],
    });
  });

  it('reads the stages a workers process is limited to, dropping repeats', () => {
    const config = parseGyreConfig({
      DATABASE_URL,
      WORKERS_STAGES: ' fraud/prepare, fraud/*,fraud/prepare ',
    });
    expect(config.workers.stages).toEqual(['fraud/prepare', 'fraud/*']);
  });

  it.each(['fraud', 'fraud/prepare/extra', 'fraud/prepare,', '/prepare', 'fraud prepare/x'])(
    'refuses WORKERS_STAGES %j, which names no pipeline/stage',
    (value) => {
      expect(problemsFor({ WORKERS_STAGES: value })).toEqual([
        `WORKERS_STAGES must list pipeline/stage or pipeline/* separated by commas (got "${value.trim()}")`,
      ]);
    },
  );

  it('refuses to start when the pipeline poll interval or the drain timeout is out of range', () => {
    expect(problemsFor({ WORKERS_PIPELINE_POLL_INTERVAL_MS: '10', WORKERS_DRAIN_TIMEOUT_MS: '-1' })).toEqual([
      'WORKERS_PIPELINE_POLL_INTERVAL_MS must be an integer from 100 to 3600000 (got "10")',
      'WORKERS_DRAIN_TIMEOUT_MS must be an integer from 0 to 600000 (got "-1")',
    ]);
  });

  it('refuses to start when the API and the workers would listen on the same port', () => {
    expect(problemsFor({ API_PORT: '4000', WORKERS_PORT: '4000' })).toEqual([
      'WORKERS_PORT must differ from API_PORT (both are 4000)',
    ]);
  });

  it('refuses to start when LOG_LEVEL is not a known level', () => {
    expect(problemsFor({ LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL must be one of debug, info, warn, error (got "verbose")',
    ]);
  });

  it('refuses to start when a tier setting is below its minimum', () => {
    expect(problemsFor({ TIER_OFFLOAD_THRESHOLD_BYTES: '-2', TIER_OFFLOAD_DELETION_LAG_MS: '-1' })).toEqual([
      'TIER_OFFLOAD_THRESHOLD_BYTES must be an integer from -1 to 9007199254740991 (got "-2")',
      'TIER_OFFLOAD_DELETION_LAG_MS must be an integer from 0 to 9007199254740991 (got "-1")',
    ]);
  });

  it('refuses to start when a Pulsar name holds characters Pulsar rejects', () => {
    expect(problemsFor({ GYRE_TENANT: 'my tenant', GYRE_NAMESPACE: 'a/b' })).toEqual([
      'GYRE_TENANT may only contain letters, digits, and - _ . = : (got "my tenant")',
      'GYRE_NAMESPACE may only contain letters, digits, and - _ . = : (got "a/b")',
    ]);
  });

  it('refuses to start when S3_FORCE_PATH_STYLE is not true or false', () => {
    expect(problemsFor({ S3_FORCE_PATH_STYLE: 'yes' })).toEqual([
      'S3_FORCE_PATH_STYLE must be true or false (got "yes")',
    ]);
  });

  it('refuses to start when a bucket name breaks the S3 naming rules or two buckets coincide', () => {
    expect(problemsFor({ S3_BUCKET_DATASETS: 'Gyre_Datasets', S3_BUCKET_MODELS: 'gyre-tiered' })).toEqual([
      'S3_BUCKET_DATASETS must be a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens) (got "Gyre_Datasets")',
      'S3_BUCKET_TIERED must differ from S3_BUCKET_MODELS (got "gyre-tiered")',
    ]);
  });

  it('refuses to start when only one of the S3 credentials is given, without echoing either', () => {
    expect(problemsFor({ S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: '' })).toEqual([
      'S3_SECRET_ACCESS_KEY is required when S3_ACCESS_KEY_ID is set',
    ]);
  });

  it('refuses to start when PULSAR_AUTH_TOKEN contains whitespace, without echoing it', () => {
    expect(problemsFor({ PULSAR_AUTH_TOKEN: 'Bearer abc' })).toEqual([
      'PULSAR_AUTH_TOKEN must not contain whitespace',
    ]);
  });

  it('refuses to start when an ingestion limit is not positive or an event may exceed the request', () => {
    expect(problemsFor({ INGEST_MAX_EVENTS_PER_REQUEST: '0' })).toEqual([
      'INGEST_MAX_EVENTS_PER_REQUEST must be an integer from 1 to 9007199254740991 (got "0")',
    ]);
    expect(problemsFor({ INGEST_MAX_EVENT_BYTES: '2048', INGEST_MAX_REQUEST_BYTES: '1024' })).toEqual([
      'INGEST_MAX_EVENT_BYTES must not exceed INGEST_MAX_REQUEST_BYTES (1024) (got "2048")',
    ]);
  });

  it('reads the HTTP consumption settings, the lease token secret included', () => {
    const secret = 'x'.repeat(32);
    const config = parseGyreConfig({
      DATABASE_URL,
      CONSUME_DEFAULT_LEASE_MS: '5000',
      CONSUME_MAX_REDELIVERIES: '0',
      CONSUME_LEASE_TOKEN_SECRET: secret,
    });

    expect(config.consume).toMatchObject({
      defaultLeaseMs: 5000,
      maxRedeliveries: 0,
      leaseTokenSecret: secret,
    });
  });

  it('refuses to start when the default lease exceeds the longest one or the token secret is short, without echoing it', () => {
    expect(
      problemsFor({
        CONSUME_DEFAULT_LEASE_MS: '60000',
        CONSUME_MAX_LEASE_MS: '10000',
        CONSUME_LEASE_TOKEN_SECRET: 'hunter2',
      }),
    ).toEqual([
      'CONSUME_DEFAULT_LEASE_MS must not exceed CONSUME_MAX_LEASE_MS (10000) (got "60000")',
      'CONSUME_LEASE_TOKEN_SECRET must be at least 32 characters',
    ]);
  });

  it('reads the per-key rate limit, where 0 requests per second turns it off', () => {
    expect(
      parseGyreConfig({ DATABASE_URL, AUTH_RATE_LIMIT_PER_SECOND: '0', AUTH_RATE_LIMIT_BURST: '5' }).auth,
    ).toEqual({ rateLimitPerSecond: 0, rateLimitBurst: 5, keyCacheTtlMs: 5000 });
  });

  it('refuses to start when the rate limit is negative or the burst is below one request', () => {
    expect(problemsFor({ AUTH_RATE_LIMIT_PER_SECOND: '-1', AUTH_RATE_LIMIT_BURST: '0' })).toEqual([
      'AUTH_RATE_LIMIT_PER_SECOND must be an integer from 0 to 1000000 (got "-1")',
      'AUTH_RATE_LIMIT_BURST must be an integer from 1 to 10000000 (got "0")',
    ]);
  });

  it('names every bad key in one error, not just the first', () => {
    const error = catchError(() => parseGyreConfig({ PULSAR_SERVICE_URL: 'bogus', LOG_LEVEL: 'loud' }));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CONFIGURATION_INVALID', retriable: false });
    expect((error as ConfigurationError).settings.map((problem) => problem.key)).toEqual([
      'LOG_LEVEL',
      'PULSAR_SERVICE_URL',
      'DATABASE_URL',
    ]);
    expect((error as Error).message).toMatch(/^Invalid configuration \(3 problems\):\n {2}- LOG_LEVEL/);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
