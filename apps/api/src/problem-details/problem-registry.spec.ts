import { AuthError } from '@gyre/auth';
import { ConfigurationError } from '@gyre/config';
import { GyreError } from '@gyre/errors';
import { MlError } from '@gyre/ml';
import { HandlerError, PipelineError } from '@gyre/pipelines';
import { ConnectionError, MessageTooLargeError } from '@gyre/pulsar';
import { PulsarAdminError } from '@gyre/pulsar-admin';
import { ReplayError } from '@gyre/replay';
import { DatasetError, StorageError } from '@gyre/storage';
import { StreamsError } from '@gyre/streams';
import { toProblemDetails } from './problem-details';
import { PROBLEM_REGISTRY, registeredProblems } from './problem-registry';

/** Any lib's error, by domain and code: what the registry is keyed by. */
class AnyError extends GyreError {
  constructor(
    readonly domain: string,
    code: string,
    options: { retriable?: boolean } = {},
  ) {
    super(code, `${domain} ${code} failed`, options);
  }
}

describe('the problem registry', () => {
  it.each(registeredProblems().map(({ domain, code, entry }) => [`${domain} ${code}`, domain, code, entry]))(
    'answers %s with its status, type URI and title',
    (_name, domain, code, entry) => {
      expect(toProblemDetails(new AnyError(domain, code), '/x')).toMatchObject({
        status: entry.status,
        type: `https://gyre.dev/problems/${entry.slug}`,
        title: entry.title,
      });
    },
  );

  it('gives a type URI one status and one title, whichever codes share it', () => {
    const byType = new Map<string, string>();
    for (const { entry } of registeredProblems()) {
      const meaning = `${entry.status} ${entry.title}`;
      expect(byType.get(entry.slug) ?? meaning).toBe(meaning);
      byType.set(entry.slug, meaning);
    }
  });

  it('answers a code nobody registered, or an unknown domain, as a 500 that reveals nothing', () => {
    for (const error of [
      new AnyError('streams', 'NO_SUCH_CODE'),
      new AnyError('elsewhere', 'STREAM_NOT_FOUND'),
    ])
      expect(toProblemDetails(error, '/x')).toEqual({
        type: 'https://gyre.dev/problems/internal-server-error',
        title: 'Internal Server Error',
        status: 500,
        detail: 'An unexpected error occurred; it has been logged.',
        instance: '/x',
      });
  });

  it('does not mistake an inherited property name for a code', () => {
    expect(toProblemDetails(new AnyError('streams', 'toString'), '/x').status).toBe(500);
    expect(toProblemDetails(new AnyError('constructor', 'name'), '/x').status).toBe(500);
  });

  it('defines each code of a domain once: a missing pipeline is the pipelines domain’s, wherever it is met', () => {
    expect(Object.keys(PROBLEM_REGISTRY.replay)).not.toContain('PIPELINE_NOT_FOUND');
    expect(PROBLEM_REGISTRY.pipelines.PIPELINE_NOT_FOUND).toMatchObject({
      status: 404,
      slug: 'pipeline-not-found',
    });
  });
});

describe('each lib’s errors through the registry', () => {
  const cases: [string, Error, number, string][] = [
    ['streams', new StreamsError('STREAM_NOT_FOUND', 'stream "x" does not exist'), 404, 'stream-not-found'],
    ['auth', new AuthError('API_KEY_REVOKED', 'revoked'), 401, 'api-key-revoked'],
    [
      'pipelines',
      new PipelineError('PIPELINE_VERSION_CONFLICT', 'changed'),
      409,
      'pipeline-version-conflict',
    ],
    ['replay', new ReplayError('REPLAY_NOT_FOUND', 'no replay 7'), 404, 'replay-not-found'],
    [
      'ml',
      new MlError('INFERENCE_UNAVAILABLE', 'KServe refused the connection'),
      503,
      'inference-unavailable',
    ],
    [
      'storage',
      new StorageError('UNAVAILABLE', 'ECONNREFUSED', {
        operation: 'GetObject',
        bucket: 'models',
        key: 'm/1',
      }),
      503,
      'storage-unavailable',
    ],
    ['storage datasets', new DatasetError('UNREADABLE', 'part 3 is not Parquet'), 502, 'dataset-unreadable'],
    [
      'pulsar-admin',
      new PulsarAdminError('unreachable', 'GET', '/admin/v2/persistent/gyre/streams'),
      503,
      'pulsar-admin-unavailable',
    ],
    [
      'pulsar',
      new ConnectionError('CONNECTION_FAILED', 'connect ECONNREFUSED 10.0.0.7:6650'),
      503,
      'pulsar-unavailable',
    ],
    ['pulsar (not retriable)', new MessageTooLargeError(6_000_000, 5_242_880), 413, 'message-too-large'],
    [
      'config',
      new ConfigurationError([{ key: 'S3_BUCKET', message: 'S3_BUCKET is required' }]),
      503,
      'configuration-invalid',
    ],
  ];

  it.each(cases)('answers a %s error with its own status and type, not 500', (_lib, error, status, slug) => {
    expect(toProblemDetails(error, '/x')).toMatchObject({
      status,
      type: `https://gyre.dev/problems/${slug}`,
    });
  });

  it('answers a retriable outage with Retry-After, and keeps broker addresses and buckets out of the detail', () => {
    const outages = [
      new ConnectionError('CONNECTION_FAILED', 'connect ECONNREFUSED 10.0.0.7:6650'),
      new StorageError('THROTTLED', 'SlowDown', { operation: 'PutObject', bucket: 'gyre-private', key: 'a' }),
      new PulsarAdminError('timeout', 'PUT', '/admin/v2/persistent/gyre/streams/x'),
    ];

    for (const error of outages) {
      const problem = toProblemDetails(error, '/x');
      expect(problem).toMatchObject({ status: 503, retryAfterSeconds: 5 });
      expect(problem.detail).not.toMatch(/10\.0\.0\.7|gyre-private|\/admin\/v2/);
    }
  });

  it('answers a refusal that retrying cannot fix without Retry-After', () => {
    const problem = toProblemDetails(
      new StorageError('ACCESS_DENIED', 'AccessDenied', { operation: 'GetObject', bucket: 'b', key: 'k' }),
      '/x',
    );

    expect(problem).toMatchObject({ status: 502, type: 'https://gyre.dev/problems/storage-failed' });
    expect(problem.retryAfterSeconds).toBeUndefined();
  });

  it('answers the invalid parts of a pipeline definition by JSON pointer, as the error carries them', () => {
    const error = new PipelineError('INVALID_PIPELINE_DEFINITION', 'pipeline "p" is invalid', {
      problems: [{ pointer: '/stages/0/batchSize', detail: 'must be an integer from 1 to 10000' }],
    });

    expect(toProblemDetails(error, '/admin/pipelines/p')).toMatchObject({
      status: 422,
      type: 'https://gyre.dev/problems/invalid-pipeline-definition',
      errors: [{ pointer: '/stages/0/batchSize', detail: 'must be an integer from 1 to 10000' }],
    });
  });

  it('answers a pipeline publish outage with Retry-After when the error is retriable', () => {
    const error = new PipelineError('PUBLISH_FAILED', 'Pulsar did not acknowledge', { retriable: true });

    expect(toProblemDetails(error, '/x')).toMatchObject({ status: 503, retryAfterSeconds: 5 });
  });

  it('answers a handler’s own failure, whose codes no registry can know, as a 500', () => {
    expect(toProblemDetails(new HandlerError('BAD_MODEL', 'no'), '/x').status).toBe(500);
  });
});
