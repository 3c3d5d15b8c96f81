import { exportColumns, exportRow } from './export-columns';

const event = (payload: unknown) => ({
  sourceEventId: 'evt-1',
  key: 'k',
  eventTimestamp: undefined,
  publishTimestamp: 1_700_000_000_000,
  sourceProperties: { z: '1', a: '2' },
  data: Buffer.from(JSON.stringify(payload)),
});

describe(exportColumns.name, () => {
  it('types one nullable column per flat schema property, sorted by name, after Gyre’s own columns', () => {
    const columns = exportColumns({
      type: 'object',
      properties: { user: { type: 'string' }, amount: { type: ['number', 'null'] }, n: { type: 'integer' } },
    });

    expect(columns.map((column) => `${column.name}:${column.type}:${column.nullable ?? false}`)).toEqual([
      'gyre_event_id:string:false',
      'gyre_key:string:true',
      'gyre_event_time:timestamp:true',
      'gyre_publish_time:timestamp:false',
      'gyre_properties:string:false',
      'amount:double:true',
      'n:int64:true',
      'user:string:true',
    ]);
  });

  it('falls back to one JSON column when the schema nests, is open or names a gyre_ field', () => {
    for (const schema of [
      { type: 'object', properties: { nested: { type: 'object' } } },
      { type: 'object' },
      { type: 'object', properties: { gyre_key: { type: 'string' } } },
    ])
      expect(
        exportColumns(schema)
          .map((column) => column.name)
          .at(-1),
      ).toBe('gyre_payload');
  });
});

describe(exportRow.name, () => {
  const columns = exportColumns({
    type: 'object',
    properties: { user: { type: 'string' }, n: { type: 'integer' } },
  });

  it('fills the columns from the payload, nulls for missing fields, and the properties as sorted JSON', () => {
    expect(exportRow(columns, event({ user: 'ü', extra: true }))).toEqual({
      gyre_event_id: 'evt-1',
      gyre_key: 'k',
      gyre_event_time: null,
      gyre_publish_time: 1_700_000_000_000,
      gyre_properties: '{"a":"2","z":"1"}',
      n: null,
      user: 'ü',
    });
  });

  it('writes the JSON column as the payload text, byte for byte', () => {
    const text = '{"id":9007199254740993, "f":1.0,"s":"é"}';
    const jsonColumns = exportColumns({ type: 'object' });
    expect(exportRow(jsonColumns, { ...event(null), data: Buffer.from(text) }).gyre_payload).toBe(text);
  });

  it('refuses payload bytes that are not UTF-8 JSON rather than write them lossily, in either layout', () => {
    const bytes = { ...event(null), data: Buffer.from([0x22, 0xff, 0x22]) };
    for (const layout of [columns, exportColumns({ type: 'object' })])
      expect(() => exportRow(layout, bytes)).toThrow(
        expect.objectContaining({
          code: 'REPLAY_EXPORT_MISMATCH',
          message: expect.stringContaining('is not valid UTF-8 JSON'),
        }),
      );
  });

  it('refuses a field of another type instead of guessing (REPLAY_EXPORT_MISMATCH)', () => {
    expect(() => exportRow(columns, event({ n: 1.5 }))).toThrow(
      expect.objectContaining({ code: 'REPLAY_EXPORT_MISMATCH', retriable: false }),
    );
  });
});
