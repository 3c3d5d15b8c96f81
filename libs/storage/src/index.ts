export { formatByteRange } from './byte-range';
export type { ByteRange } from './byte-range';
export { createS3Client, s3ClientConfig } from './s3-client';
export { S3Storage } from './s3-storage';
export type {
  ListOptions,
  ObjectBody,
  ObjectPage,
  OpenedObject,
  PutObjectOptions,
  StoredObject,
} from './s3-storage';
export { parseArtifactUri, StoredArtifacts } from './artifacts/stored-artifacts';
export type { ArtifactDownload } from './artifacts/stored-artifacts';
export { StorageError, toStorageError } from './storage-error';
export type { StorageErrorCode, StorageErrorContext } from './storage-error';
export { StorageModule } from './storage.module';
export { DatasetError } from './datasets/dataset-error';
export type { DatasetErrorCode } from './datasets/dataset-error';
export { decodeParquetDataset, encodeParquetDataset, sha256Hex } from './datasets/parquet-codec';
export type {
  DatasetColumn,
  DatasetColumnType,
  DatasetRow,
  DatasetValue,
  EncodedDataset,
} from './datasets/parquet-codec';
export { PARQUET_CONTENT_TYPE, ParquetDatasetStore } from './datasets/parquet-dataset-store';
export type { DatasetManifest, WriteDatasetRequest } from './datasets/parquet-dataset-store';
