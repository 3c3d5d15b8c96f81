export type DatasetErrorCode =
  'INVALID_SCHEMA' | 'INVALID_ROW' | 'CHECKSUM_MISMATCH' | 'SCHEMA_MISMATCH' | 'UNREADABLE';

/** A dataset that cannot be written as given, or read back as its manifest promises. Never retriable. */
export class DatasetError extends Error {
  readonly retriable = false;

  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatasetError';
  }
}
