import { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, DatasetColumn, ParquetDatasetStore, S3Storage } from '@gyre/storage';
import { parquetMetadata } from 'hyparquet';
import { createHash } from 'node:crypto';
import { emptyPrefix, testS3Settings, uniqueName } from '../../../tools/testing';

const COLUMNS: DatasetColumn[] = [
  { name: 'event_id', type: 'string' },
  { name: 'event_time', type: 'timestamp' },
  { name: 'count_1h', type: 'int64' },
  { name: 'amount_z', type: 'double' },
  { name: 'fraud', type: 'boolean' },
];

function trainingRows(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    event_id: `tx-${String(i).padStart(6, '0')}`,
    event_time: Date.UTC(2025, 0, 1) + i * 1_000,
    count_1h: i % 7,
    amount_z: Math.sin(i) * 3,
    fraud: i % 31 === 0,
  }));
}

describe(ParquetDatasetStore.name, () => {
  const settings = testS3Settings();
  const bucket = settings.buckets.datasets;
  let storage: S3Storage;
  let client: S3Client;
  let store: ParquetDatasetStore;
  let prefix: string;

  beforeAll(async () => {
    storage = new S3Storage(settings);
    client = createS3Client(settings);
    store = new ParquetDatasetStore(storage);
    await storage.ensureBucket(bucket);
  });

  beforeEach(() => {
    prefix = `${uniqueName('dataset-test')}/`;
  });

  afterEach(() => emptyPrefix(client, bucket, prefix));

  afterAll(() => {
    storage.onModuleDestroy();
    client.destroy();
  });

  it('writes a dataset to S3 with a manifest and reads the same rows back, checksum verified', async () => {
    const rows = trainingRows(5_000);
    const key = `${prefix}epoch=3/training.parquet`;

    const manifest = await store.write({ key, columns: COLUMNS, rows, metadata: { epoch: '3' } });

    expect(manifest).toEqual({
      format: 'parquet',
      bucket,
      keys: [key],
      rowCount: 5_000,
      schema: COLUMNS,
      checksum: { algorithm: 'sha256', value: expect.stringMatching(/^[0-9a-f]{64}$/) },
      sizeBytes: expect.any(Number),
      metadata: { epoch: '3' },
    });
    const stored = await storage.getObject(bucket, key);
    expect(stored.length).toBe(manifest.sizeBytes);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(manifest.checksum.value);
    expect(await store.read(manifest)).toEqual(rows);
  });

  it('stores a file another reader parses: Parquet magic, footer, row count and column types', async () => {
    const manifest = await store.write({
      key: `${prefix}d.parquet`,
      columns: COLUMNS,
      rows: trainingRows(1_234),
    });
    const bytes = await storage.getObject(bucket, manifest.keys[0]);

    // The container, read by hand: "PAR1" at both ends, then a footer length that fits the file.
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(bytes.subarray(-4).toString('latin1')).toBe('PAR1');
    const footerLength = bytes.readUInt32LE(bytes.length - 8);
    expect(footerLength).toBeGreaterThan(0);
    expect(footerLength).toBeLessThan(bytes.length - 12);
    // The footer, decoded by hyparquet's metadata API (not the writer's code).
    const metadata = parquetMetadata(bytes);
    expect(metadata.num_rows).toBe(1_234n);
    expect(metadata.created_by).toBe('gyre');
    expect(metadata.row_groups.reduce((sum, group) => sum + group.num_rows, 0n)).toBe(1_234n);
    expect(
      metadata.schema.slice(1).map(({ name, type, converted_type }) => [name, type, converted_type]),
    ).toEqual([
      ['event_id', 'BYTE_ARRAY', 'UTF8'],
      ['event_time', 'INT64', 'TIMESTAMP_MILLIS'],
      ['count_1h', 'INT64', undefined],
      ['amount_z', 'DOUBLE', undefined],
      ['fraud', 'BOOLEAN', undefined],
    ]);
    const [firstGroup] = metadata.row_groups;
    expect(firstGroup.columns.map((chunk) => chunk.meta_data?.codec)).toEqual(Array(5).fill('SNAPPY'));
  });

  it('refuses to read an object whose bytes no longer match the manifest as CHECKSUM_MISMATCH', async () => {
    const key = `${prefix}d.parquet`;
    const manifest = await store.write({ key, columns: COLUMNS, rows: trainingRows(100) });
    await store.write({ key, columns: COLUMNS, rows: trainingRows(101) });

    await expect(store.read(manifest)).rejects.toMatchObject({
      name: 'DatasetError',
      code: 'CHECKSUM_MISMATCH',
      retriable: false,
    });
  });

  it('writes the same bytes when a write of the same rows is retried', async () => {
    const key = `${prefix}d.parquet`;
    const first = await store.write({ key, columns: COLUMNS, rows: trainingRows(300) });
    const retried = await store.write({ key, columns: COLUMNS, rows: trainingRows(300) });

    expect(retried).toEqual(first);
    expect(await store.read(first)).toHaveLength(300);
  });
});
