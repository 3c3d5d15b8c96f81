import { StorageError, toStorageError } from './storage-error';

const objectContext = { operation: 'getObject', bucket: 'gyre-datasets', key: 'runs/1/part-0.parquet' };
const bucketContext = { operation: 'headBucket', bucket: 'gyre-datasets' };

function sdkError(name: string, httpStatusCode?: number, extra: object = {}): Error {
  return Object.assign(new Error(`${name} from S3`), { name, $metadata: { httpStatusCode }, ...extra });
}

describe(toStorageError.name, () => {
  it('names the operation, bucket and key, and keeps the SDK error as cause', () => {
    const cause = sdkError('NoSuchKey', 404);

    const error = toStorageError(cause, objectContext);

    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      retriable: false,
      bucket: 'gyre-datasets',
      key: 'runs/1/part-0.parquet',
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'getObject s3://gyre-datasets/runs/1/part-0.parquet: NOT_FOUND (NoSuchKey: NoSuchKey from S3)',
    );
  });

  it.each([
    ['NoSuchBucket', 404, objectContext, 'BUCKET_NOT_FOUND', false],
    ['NotFound', 404, bucketContext, 'BUCKET_NOT_FOUND', false],
    ['NotFound', 404, objectContext, 'NOT_FOUND', false],
    ['AccessDenied', 403, objectContext, 'ACCESS_DENIED', false],
    ['SignatureDoesNotMatch', 403, objectContext, 'ACCESS_DENIED', false],
    ['InvalidRange', 416, objectContext, 'INVALID_RANGE', false],
    ['SlowDown', 503, objectContext, 'THROTTLED', true],
    ['InternalError', 500, objectContext, 'UNAVAILABLE', true],
    ['TimeoutError', undefined, objectContext, 'UNAVAILABLE', true],
    ['InvalidArgument', 400, objectContext, 'INVALID_REQUEST', false],
  ])('maps %s (HTTP %s) to a %s error with retriable %s', (name, status, context, code, retriable) => {
    expect(toStorageError(sdkError(name as string, status as number | undefined), context)).toMatchObject({
      code,
      retriable,
    });
  });

  it('treats a refused or reset connection as a retriable outage', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });

    expect(toStorageError(refused, bucketContext)).toMatchObject({ code: 'UNAVAILABLE', retriable: true });
  });

  it('leaves an unknown failure non-retriable unless the SDK marked it retryable', () => {
    expect(toStorageError(new Error('odd'), objectContext)).toMatchObject({
      code: 'UNKNOWN',
      retriable: false,
    });
    expect(
      toStorageError(Object.assign(new Error('odd'), { $retryable: { throttling: false } }), objectContext),
    ).toMatchObject({ code: 'UNKNOWN', retriable: true });
  });

  it('passes a StorageError through unchanged', () => {
    const original = new StorageError('INVALID_RANGE', 'bad', objectContext);

    expect(toStorageError(original, bucketContext)).toBe(original);
  });
});
