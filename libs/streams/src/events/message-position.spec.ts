import { MessageId } from '@gyre/pulsar';
import { StreamsError } from '../errors';
import { formatPosition, parseMessagePosition, parseTimestamp, partitionOf } from './message-position';

describe(parseMessagePosition.name, () => {
  it("reads Gyre's opaque id with its partition and batch index", () => {
    const opaque = new MessageId(7n, 3n, 2, 4).toOpaqueString();

    expect(parseMessagePosition(opaque)).toEqual({ ledgerId: 7, entryId: 3, partition: 2, batchIndex: 4 });
  });

  it("reads Pulsar's ledger:entry, ledger:entry:partition and ledger:entry:partition:batchIndex forms", () => {
    expect(parseMessagePosition('12:5')).toEqual({ ledgerId: 12, entryId: 5, partition: -1, batchIndex: -1 });
    expect(parseMessagePosition('12:5:1')).toMatchObject({ partition: 1, batchIndex: -1 });
    expect(parseMessagePosition('12:5:-1:3')).toMatchObject({ partition: -1, batchIndex: 3 });
  });

  it("reads the official Node client's (ledger,entry,partition,batchIndex) form", () => {
    expect(parseMessagePosition('(12,5,1,-1)')).toEqual({
      ledgerId: 12,
      entryId: 5,
      partition: 1,
      batchIndex: -1,
    });
    expect(parseMessagePosition(new MessageId(7n, 3n, 2, 4).toString())).toMatchObject({
      partition: 2,
      batchIndex: 4,
    });
  });

  it.each(['', 'abc!', '12', '12:x', '-1:-1', '1:2:3:4:5', 'not base64 at all', '(1,2)', '(-1,-1,-1,-1)'])(
    'refuses %p as INVALID_MESSAGE_ID naming the field',
    (text) => {
      expect(() => parseMessagePosition(text)).toThrow(
        expect.objectContaining({
          code: 'INVALID_MESSAGE_ID',
          problems: [expect.objectContaining({ pointer: '/messageId' })],
        }),
      );
    },
  );

  it('writes the text form back', () => {
    expect(formatPosition({ ledgerId: 1, entryId: 2, partition: -1, batchIndex: 0 })).toBe('1:2:-1:0');
  });
});

describe(partitionOf.name, () => {
  it('takes the named partition, or partition 0 of a one-partition stream', () => {
    expect(partitionOf({ ledgerId: 1, entryId: 1, partition: 2, batchIndex: -1 }, 3)).toBe(2);
    expect(partitionOf({ ledgerId: 1, entryId: 1, partition: -1, batchIndex: -1 }, 1)).toBe(0);
  });

  it('refuses an id without partition on a stream with several, and a partition out of range', () => {
    expect(() => partitionOf({ ledgerId: 1, entryId: 1, partition: -1, batchIndex: -1 }, 3)).toThrow(
      StreamsError,
    );
    expect(() => partitionOf({ ledgerId: 1, entryId: 1, partition: 3, batchIndex: -1 }, 3)).toThrow(
      /does not exist/,
    );
  });
});

describe(parseTimestamp.name, () => {
  it('reads RFC 3339 and epoch milliseconds as numbers or digit strings', () => {
    expect(parseTimestamp('2025-01-31T12:00:00Z')).toBe(Date.UTC(2025, 0, 31, 12));
    expect(parseTimestamp(1700000000000)).toBe(1700000000000);
    expect(parseTimestamp('1700000000000')).toBe(1700000000000);
  });

  it.each(['yesterday', '2025-13-45T99:00:00Z', -5, 1.5, null, ''])(
    'refuses %p as INVALID_TIMESTAMP',
    (value) => {
      expect(() => parseTimestamp(value)).toThrow(expect.objectContaining({ code: 'INVALID_TIMESTAMP' }));
    },
  );
});
