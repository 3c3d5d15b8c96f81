import { createHash } from 'node:crypto';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import { DatasetError } from './dataset-error';

export type DatasetColumnType = 'string' | 'double' | 'int64' | 'timestamp' | 'boolean';

/** One column of a dataset. `timestamp` values are ms since the Unix epoch (Parquet TIMESTAMP_MILLIS). */
export interface DatasetColumn {
  readonly name: string;
  readonly type: DatasetColumnType;
  /** Default false: a missing value is an error. */
  readonly nullable?: boolean;
}

export type DatasetValue = string | number | boolean | null;
export type DatasetRow = Readonly<Record<string, DatasetValue>>;

export interface EncodedDataset {
  readonly bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
  readonly rowCount: number;
}

const WRITER_TYPES = {
  string: 'STRING',
  double: 'DOUBLE',
  int64: 'INT64',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
} as const;

/** Encodes rows as one Parquet file (snappy pages) with the given column types, in row order. */
export function encodeParquetDataset(
  columns: readonly DatasetColumn[],
  rows: readonly DatasetRow[],
  metadata: Readonly<Record<string, string>> = {},
): EncodedDataset {
  checkSchema(columns);
  const columnData: ColumnSource[] = columns.map((column) => ({
    name: column.name,
    type: WRITER_TYPES[column.type],
    nullable: column.nullable ?? false,
    data: rows.map((row, index) => toParquet(column, row[column.name], index)),
  }));
  const bytes = new Uint8Array(
    parquetWriteBuffer({
      columnData,
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      createdBy: 'gyre',
    }),
  );
  return { bytes, sha256: sha256Hex(bytes), rowCount: rows.length };
}

/** Decodes a Parquet file into rows typed as `columns` says; SCHEMA_MISMATCH if the file disagrees. */
export async function decodeParquetDataset(
  bytes: Uint8Array,
  columns: readonly DatasetColumn[],
): Promise<DatasetRow[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let objects: Record<string, unknown>[];
  try {
    const metadata = parquetMetadata(buffer);
    const names = metadata.schema.slice(1).map((element) => element.name);
    const expected = columns.map((column) => column.name);
    if (names.join('\0') !== expected.join('\0')) {
      throw new DatasetError(
        'SCHEMA_MISMATCH',
        `file has columns [${names.join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
    objects = await parquetReadObjects({ file: buffer, metadata });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError('UNREADABLE', `not a readable Parquet file: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return objects.map((object) =>
    Object.fromEntries(columns.map((column) => [column.name, fromParquet(column, object[column.name])])),
  );
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkSchema(columns: readonly DatasetColumn[]): void {
  if (columns.length === 0) throw new DatasetError('INVALID_SCHEMA', 'a dataset needs at least one column');
  const names = columns.map((column) => column.name);
  if (new Set(names).size !== names.length || names.some((name) => !name)) {
    throw new DatasetError(
      'INVALID_SCHEMA',
      `column names must be distinct and non-empty: ${names.join(', ')}`,
    );
  }
  const unknown = columns.find((column) => !Object.hasOwn(WRITER_TYPES, column.type));
  if (unknown)
    throw new DatasetError('INVALID_SCHEMA', `column ${unknown.name} has unknown type ${unknown.type}`);
}

function toParquet(column: DatasetColumn, value: DatasetValue | undefined, row: number): unknown {
  const fail = (expected: string) =>
    new DatasetError(
      'INVALID_ROW',
      `row ${row}, column ${column.name}: expected ${expected}, got ${JSON.stringify(value)}`,
    );
  if (value === null || value === undefined) {
    if (column.nullable) return null;
    throw fail(`a ${column.type}`);
  }
  switch (column.type) {
    case 'string':
      if (typeof value !== 'string') throw fail('a string');
      return value;
    case 'double':
      if (typeof value !== 'number') throw fail('a number');
      return value;
    case 'int64':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail('a safe integer');
      return BigInt(value);
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail('ms since the epoch');
      return new Date(value);
    case 'boolean':
      if (typeof value !== 'boolean') throw fail('a boolean');
      return value;
  }
}

function fromParquet(column: DatasetColumn, value: unknown): DatasetValue {
  if (value === null || value === undefined) return null;
  if (column.type === 'int64') return Number(value as bigint);
  if (column.type === 'timestamp') return value instanceof Date ? value.getTime() : Number(value);
  return value as DatasetValue;
}
