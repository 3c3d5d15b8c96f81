import type { S3Storage } from '../s3-storage';
import { DatasetError } from './dataset-error';
import {
  DatasetColumn,
  DatasetRow,
  decodeParquetDataset,
  encodeParquetDataset,
  sha256Hex,
} from './parquet-codec';

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

/** What a training dataset's manifest row records: enough to find, verify and read it back. */
export interface DatasetManifest {
  readonly format: 'parquet';
  readonly bucket: string;
  /** The dataset's objects; one today, a list so datasets can grow to several parts. */
  readonly keys: readonly string[];
  readonly rowCount: number;
  readonly schema: readonly DatasetColumn[];
  /** SHA-256 of the object's bytes, as stored. */
  readonly checksum: { readonly algorithm: 'sha256'; readonly value: string };
  readonly sizeBytes: number;
  /** Also stored in the Parquet footer's key-value metadata (epoch, feature definition, ...). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface WriteDatasetRequest {
  /** Defaults to the datasets bucket. */
  readonly bucket?: string;
  readonly key: string;
  readonly columns: readonly DatasetColumn[];
  readonly rows: readonly DatasetRow[];
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Training datasets as Parquet objects in S3, written with a checksum and read back verified. */
export class ParquetDatasetStore {
  constructor(private readonly storage: S3Storage) {}

  /**
   * Encodes the rows, puts the file under `key` and returns its manifest. Writing the same rows
   * to the same key again produces the same bytes, so a retried write is harmless.
   */
  async write(request: WriteDatasetRequest): Promise<DatasetManifest> {
    const bucket = request.bucket ?? this.storage.buckets.datasets;
    const metadata = { ...(request.metadata ?? {}) };
    const encoded = encodeParquetDataset(request.columns, request.rows, metadata);
    await this.storage.putObject(bucket, request.key, encoded.bytes, {
      contentType: PARQUET_CONTENT_TYPE,
      contentLength: encoded.bytes.byteLength,
      metadata: { 'gyre-sha256': encoded.sha256, 'gyre-row-count': String(encoded.rowCount) },
    });
    return {
      format: 'parquet',
      bucket,
      keys: [request.key],
      rowCount: encoded.rowCount,
      schema: request.columns.map((column) => ({ ...column })),
      checksum: { algorithm: 'sha256', value: encoded.sha256 },
      sizeBytes: encoded.bytes.byteLength,
      metadata,
    };
  }

  /** The raw bytes of the dataset, verified against the manifest's checksum (CHECKSUM_MISMATCH). */
  async readBytes(manifest: DatasetManifest): Promise<Buffer> {
    if (manifest.format !== 'parquet' || manifest.keys.length !== 1) {
      throw new DatasetError(
        'UNREADABLE',
        `expected a single-file parquet manifest, got ${manifest.keys.length} keys`,
      );
    }
    const [key] = manifest.keys;
    const bytes = await this.storage.getObject(manifest.bucket, key);
    const actual = sha256Hex(bytes);
    if (actual !== manifest.checksum.value) {
      throw new DatasetError(
        'CHECKSUM_MISMATCH',
        `s3://${manifest.bucket}/${key} has SHA-256 ${actual}, the manifest says ${manifest.checksum.value}`,
      );
    }
    return bytes;
  }

  /** The dataset's rows, after checking checksum, schema and row count against the manifest. */
  async read(manifest: DatasetManifest): Promise<DatasetRow[]> {
    const rows = await decodeParquetDataset(await this.readBytes(manifest), manifest.schema);
    if (rows.length !== manifest.rowCount) {
      throw new DatasetError(
        'SCHEMA_MISMATCH',
        `file holds ${rows.length} rows, the manifest says ${manifest.rowCount}`,
      );
    }
    return rows;
  }
}
