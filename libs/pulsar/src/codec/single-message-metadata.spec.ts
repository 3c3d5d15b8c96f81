import Long from 'long';
import { SingleMessageMetadata, SingleMessageMetadataType } from './protocol';
import { singleMetadataSize, writeSingleMetadata } from './single-message-metadata';

/** What protobufjs writes for the same record: the reference the hand-written encoder must equal. */
function byProtobufjs(meta: SingleMessageMetadata, payloadSize: number): string {
  const bytes = SingleMessageMetadataType.encode({
    ...meta,
    payload_size: payloadSize,
  } as unknown as import('protobufjs').Message).finish();
  return Buffer.from(bytes).toString('hex');
}

function byHand(meta: SingleMessageMetadata, payloadSize: number): string {
  const size = singleMetadataSize(meta, payloadSize);
  // Written at an offset into a larger buffer, as into a frame: nothing before or after it is touched.
  const target = Buffer.alloc(size + 6, 0xee);
  const end = writeSingleMetadata(meta, payloadSize, target, 3);
  expect(end).toBe(3 + size);
  expect([...target.subarray(0, 3), ...target.subarray(end)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
  return target.subarray(3, end).toString('hex');
}

describe('SingleMessageMetadata written by hand', () => {
  const cases: Array<[string, SingleMessageMetadata, number]> = [
    ['only the payload size', { payload_size: 0 }, 0],
    [
      'an empty payload and empty strings',
      { payload_size: 0, partition_key: '', properties: [{ key: '', value: '' }] },
      0,
    ],
    [
      'the fields a producer sets',
      {
        payload_size: 0,
        properties: [
          { key: 'gyre-event-id', value: '3f2a9c0e5b7d41e8a6c4b2d0f8e6a4c2' },
          { key: 'gyre-epoch', value: '7' },
        ],
        partition_key: 'card-000123',
        event_time: 1_796_649_767_619,
        sequence_id: 42,
      },
      1024,
    ],
    [
      'multi-byte UTF-8 keys, values and partition keys',
      { payload_size: 0, properties: [{ key: 'città', value: '😀 ünïcödé' }], partition_key: 'ключ' },
      3,
    ],
    [
      'a 200-character property (two-byte length)',
      { payload_size: 0, properties: [{ key: 'k', value: 'x'.repeat(200) }] },
      1,
    ],
    ['a payload size needing three and five varint bytes', { payload_size: 0 }, 5_000_000],
    ['the largest int32 payload size', { payload_size: 0 }, 2 ** 31 - 1],
    ['zero times and ids', { payload_size: 0, event_time: 0, sequence_id: 0 }, 10],
    ['uint64 boundaries', { payload_size: 0, event_time: 2 ** 32 - 1, sequence_id: 2 ** 32 }, 10],
    [
      'the largest safe integer',
      { payload_size: 0, event_time: Number.MAX_SAFE_INTEGER, sequence_id: 2 ** 35 + 1 },
      10,
    ],
    [
      'a Long sequence id above 2^53',
      { payload_size: 0, sequence_id: Long.fromString('18446744073709551615', true) },
      10,
    ],
    ['a negative number as uint64 (two’s complement)', { payload_size: 0, event_time: -1 }, 10],
    [
      'ordering key bytes and every flag, set and unset',
      {
        payload_size: 0,
        ordering_key: Buffer.from([0, 255, 128]),
        compacted_out: false,
        partition_key_b64_encoded: true,
        null_value: true,
        null_partition_key: false,
      },
      0,
    ],
    ['an empty ordering key', { payload_size: 0, ordering_key: Buffer.alloc(0) }, 0],
    [
      'multi-byte strings at and past the length written in JavaScript',
      {
        payload_size: 0,
        properties: [
          { key: 'é'.repeat(64), value: '😀'.repeat(32) },
          { key: '€'.repeat(65), value: '😀'.repeat(33) },
        ],
        partition_key: `a${'😀'.repeat(31)}z`,
      },
      7,
    ],
  ];

  it.each(cases)('writes the bytes protobufjs writes: %s', (_, meta, payloadSize) => {
    expect(byHand(meta, payloadSize)).toBe(byProtobufjs(meta, payloadSize));
  });

  it('writes a lone surrogate as U+FFFD, as Buffer does (protobufjs would write bytes that are not UTF-8)', () => {
    const meta = (text: string): SingleMessageMetadata => ({
      payload_size: 0,
      properties: [{ key: text, value: `${text}${'x'.repeat(70)}` }],
    });
    expect(byHand(meta('a\ud800b\udc00'), 1)).toBe(byProtobufjs(meta('a\ufffdb\ufffd'), 1));
  });

  it('writes 1,000 random records as protobufjs does', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    // Code points from ASCII to beyond the BMP (surrogate pairs), strings on both sides of 64 units.
    const codePoint = () =>
      [32 + (next() % 96), 32 + (next() % 0x2000), 0x10000 + (next() % 0x1000)][next() % 3];
    const text = () => String.fromCodePoint(...Array.from({ length: next() % 70 }, codePoint));
    for (let i = 0; i < 1000; i++) {
      const meta: SingleMessageMetadata = {
        payload_size: 0,
        properties: Array.from({ length: next() % 4 }, () => ({ key: text(), value: text() })),
        ...(next() % 2 ? { partition_key: text() } : {}),
        ...(next() % 2 ? { event_time: next() * 1000 + (next() % 1000) } : {}),
        ...(next() % 2 ? { sequence_id: next() % 2 ? next() : next() * 2 ** 20 } : {}),
      };
      const payloadSize = next() % 3 === 0 ? next() : next() % 300;
      expect(byHand(meta, payloadSize)).toBe(byProtobufjs(meta, payloadSize));
    }
  });
});
