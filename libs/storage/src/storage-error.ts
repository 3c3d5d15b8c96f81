import { GyreError } from '@gyre/errors';

export type StorageErrorCode =
  | 'NOT_FOUND'
  | 'BUCKET_NOT_FOUND'
  | 'ACCESS_DENIED'
  | 'INVALID_RANGE'
  | 'INVALID_REQUEST'
  | 'NOT_AN_ARTIFACT'
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'UNKNOWN';

const RETRIABLE: ReadonlySet<StorageErrorCode> = new Set(['THROTTLED', 'UNAVAILABLE']);

export interface StorageErrorContext {
  operation: string;
  bucket: string;
  key?: string;
}

/** Every failure of the storage adapter: a stable code, whether a retry can help, and where it happened. */
export class StorageError extends GyreError<StorageErrorCode> {
  readonly domain = 'storage';
  readonly operation: string;
  readonly bucket: string;
  readonly key: string | undefined;

  constructor(
    code: StorageErrorCode,
    message: string,
    context: StorageErrorContext,
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    const where = `s3://${context.bucket}${context.key === undefined ? '' : `/${context.key}`}`;
    super(code, `${context.operation} ${where}: ${message}`, {
      cause: options?.cause,
      retriable: options?.retriable ?? RETRIABLE.has(code),
    });
    this.operation = context.operation;
    this.bucket = context.bucket;
    this.key = context.key;
  }
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
const ACCESS_NAMES = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden']);
const THROTTLE_NAMES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** Maps an @aws-sdk/client-s3 (or network) failure onto Gyre's codes; the SDK error stays as `cause`. */
export function toStorageError(error: unknown, context: StorageErrorContext): StorageError {
  if (error instanceof StorageError) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = classify(sdk, context);
  const detail = `${sdk.name ?? 'Error'}${sdk.message ? `: ${sdk.message}` : ''}`;
  return new StorageError(code, `${code} (${detail})`, context, {
    cause: error,
    retriable: RETRIABLE.has(code) || (code === 'UNKNOWN' && sdk.$retryable !== undefined),
  });
}

function classify(sdk: SdkErrorShape, { key }: StorageErrorContext): StorageErrorCode {
  const status = sdk.$metadata?.httpStatusCode;
  const name = sdk.name ?? '';
  if (name === 'NoSuchBucket') return 'BUCKET_NOT_FOUND';
  if (name === 'NoSuchKey' || name === 'NoSuchUpload') return 'NOT_FOUND';
  // HEAD requests carry no error body, so the SDK can only say "NotFound" with a 404.
  if (name === 'NotFound' || status === 404) return key === undefined ? 'BUCKET_NOT_FOUND' : 'NOT_FOUND';
  if (ACCESS_NAMES.has(name) || status === 403) return 'ACCESS_DENIED';
  if (name === 'InvalidRange' || status === 416) return 'INVALID_RANGE';
  if (THROTTLE_NAMES.has(name) || status === 429 || status === 503) return 'THROTTLED';
  if (
    (status !== undefined && status >= 500) ||
    name === 'TimeoutError' ||
    NETWORK_CODES.has(sdk.code ?? '')
  ) {
    return 'UNAVAILABLE';
  }
  if (status !== undefined && status >= 400) return 'INVALID_REQUEST';
  return 'UNKNOWN';
}
