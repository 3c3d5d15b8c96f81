import { decodeBatch, encodeBatch, fromKeyValues, toKeyValues } from './batch';
import { toNumber } from './protocol';

describe('batch codec', () => {
  it('lays out each record as [4-byte size][SingleMessageMetadata][payload]', () => {
    const bytes = encodeBatch([
      { metadata: { payload_size: 0, partition_key: 'k' }, payload: Buffer.from('ab') },
    ]);
    // SingleMessageMetadata{partition_key="k"(2), payload_size=2(3)} = 12 01 6b 18 02
    expect(bytes.toString('hex')).toBe('00000005' + '12016b1802' + '6162');
  });

  it('round-trips properties, keys, event time and sequence ids', () => {
    const records = [
      {
        metadata: { payload_size: 0, properties: toKeyValues({ a: '1' }), event_time: 42, sequence_id: 7 },
        payload: Buffer.from('first'),
      },
      { metadata: { payload_size: 0, partition_key: 'key-2' }, payload: Buffer.alloc(0) },
    ];
    const decoded = decodeBatch(encodeBatch(records), 2);
    expect(decoded.map((record) => record.payload.toString())).toEqual(['first', '']);
    expect(fromKeyValues(decoded[0].metadata.properties)).toEqual({ a: '1' });
    expect(toNumber(decoded[0].metadata.event_time)).toBe(42);
    expect(toNumber(decoded[0].metadata.sequence_id)).toBe(7);
    expect(decoded[1].metadata.partition_key).toBe('key-2');
  });

  it('rejects a batch whose record overruns the payload', () => {
    const bytes = encodeBatch([{ metadata: { payload_size: 0 }, payload: Buffer.from('abcdef') }]);
    expect(() => decodeBatch(bytes.subarray(0, bytes.length - 2), 1)).toThrow(
      expect.objectContaining({ code: 'PROTOCOL_ERROR' }),
    );
    expect(() => decodeBatch(bytes, 2)).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR' }));
  });
});
