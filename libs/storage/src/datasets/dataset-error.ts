import { GyreError } from '@gyre/errors';

export type DatasetErrorCode =
  'INVALID_SCHEMA' | 'INVALID_ROW' | 'CHECKSUM_MISMATCH' | 'SCHEMA_MISMATCH' | 'UNREADABLE';

/** A dataset that cannot be written as given, or read back as its manifest promises. Never retriable. */
export class DatasetError extends GyreError<DatasetErrorCode> {
  readonly domain = 'dataset';

  constructor(code: DatasetErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
  }
}
