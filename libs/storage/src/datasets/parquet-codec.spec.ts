import { parquetMetadata } from 'hyparquet';
import { DatasetError } from './dataset-error';
import { DatasetColumn, decodeParquetDataset, encodeParquetDataset, sha256Hex } from './parquet-codec';

const COLUMNS: DatasetColumn[] = [
  { name: 'event_id', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'count_1h', type: 'int64' },
  { name: 'event_time', type: 'timestamp' },
  { name: 'fraud', type: 'boolean' },
  { name: 'note', type: 'string', nullable: true },
];

const ROWS = [
  { event_id: 'tx-1', amount: 12.5, count_1h: 0, event_time: Date.UTC(2025, 0, 1), fraud: false, note: null },
  {
    event_id: 'tx-2',
    amount: 1234.56,
    count_1h: 3,
    event_time: Date.UTC(2025, 0, 2, 3, 4, 5, 6),
    fraud: true,
    note: 'ünïcode',
  },
  { event_id: 'tx-3', amount: -0.25, count_1h: 2 ** 40, event_time: 0, fraud: false, note: '' },
];

describe(encodeParquetDataset.name, () => {
  it('writes rows that decode back to the same typed values', async () => {
    const encoded = encodeParquetDataset(COLUMNS, ROWS);

    expect(encoded.rowCount).toBe(3);
    expect(encoded.sha256).toBe(sha256Hex(encoded.bytes));
    expect(await decodeParquetDataset(encoded.bytes, COLUMNS)).toEqual(ROWS);
  });

  it('produces the same bytes for the same rows, so a retried write is identical', () => {
    expect(encodeParquetDataset(COLUMNS, ROWS, { epoch: '3' }).sha256).toBe(
      encodeParquetDataset(COLUMNS, ROWS, { epoch: '3' }).sha256,
    );
  });

  it('declares Parquet physical and logical types a standard reader understands', () => {
    const { bytes } = encodeParquetDataset(COLUMNS, ROWS, { epoch: '3' });
    const metadata = parquetMetadata(bytes);

    expect(metadata.num_rows).toBe(3n);
    expect(metadata.key_value_metadata).toEqual([{ key: 'epoch', value: '3' }]);
    expect(
      metadata.schema.slice(1).map(({ name, type, converted_type, repetition_type }) => ({
        name,
        type,
        converted_type,
        repetition_type,
      })),
    ).toEqual([
      { name: 'event_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'amount', type: 'DOUBLE', converted_type: undefined, repetition_type: 'REQUIRED' },
      { name: 'count_1h', type: 'INT64', converted_type: undefined, repetition_type: 'REQUIRED' },
      { name: 'event_time', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' },
      { name: 'fraud', type: 'BOOLEAN', converted_type: undefined, repetition_type: 'REQUIRED' },
      { name: 'note', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ]);
  });

  it('writes an empty dataset with its schema', async () => {
    const encoded = encodeParquetDataset(COLUMNS, []);

    expect(await decodeParquetDataset(encoded.bytes, COLUMNS)).toEqual([]);
  });

  it('rejects a value of the wrong type, naming row and column, as INVALID_ROW', () => {
    const bad = [{ ...ROWS[0], count_1h: 1.5 }];

    expect(() => encodeParquetDataset(COLUMNS, bad)).toThrow(DatasetError);
    expect(() => encodeParquetDataset(COLUMNS, bad)).toThrow(/row 0, column count_1h/);
    expect(() => encodeParquetDataset(COLUMNS, [{ ...ROWS[0], amount: null }])).toThrow(
      expect.objectContaining({ code: 'INVALID_ROW', retriable: false }),
    );
  });

  it('rejects duplicate column names as INVALID_SCHEMA', () => {
    expect(() => encodeParquetDataset([COLUMNS[0], COLUMNS[0]], [])).toThrow(
      expect.objectContaining({ code: 'INVALID_SCHEMA' }),
    );
  });
});

describe(decodeParquetDataset.name, () => {
  it('refuses a file whose columns differ from the expected schema as SCHEMA_MISMATCH', async () => {
    const { bytes } = encodeParquetDataset(COLUMNS, ROWS);

    await expect(decodeParquetDataset(bytes, COLUMNS.slice(1))).rejects.toMatchObject({
      code: 'SCHEMA_MISMATCH',
    });
  });

  it('refuses bytes that are not Parquet as UNREADABLE', async () => {
    await expect(decodeParquetDataset(Buffer.from('not parquet at all'), COLUMNS)).rejects.toMatchObject({
      code: 'UNREADABLE',
    });
  });
});
