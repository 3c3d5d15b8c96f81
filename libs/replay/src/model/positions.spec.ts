import { MessageId } from '@gyre/pulsar';
import { ReplayError } from '../errors';
import { endVerdict, entriesBetween, parseMessageId, parsePartitionIds } from './positions';

describe(parseMessageId.name, () => {
  it("reads Pulsar's text form and Gyre's opaque id, naming the partition", () => {
    expect(parseMessageId('12:5:2:3', 4, '/start')).toEqual(new MessageId(12n, 5n, 2, 3, 0));
    const opaque = new MessageId(7n, 9n, 1).toOpaqueString();
    expect(parseMessageId(opaque, 2, '/start')).toEqual(new MessageId(7n, 9n, 1, -1, 0));
  });

  it("reads the official Node client's text form too", () => {
    expect(parseMessageId('(12,5,2,3)', 4, '/start')).toEqual(new MessageId(12n, 5n, 2, 3, 0));
    expect(parseMessageId('(12,5,-1,-1)', 1, '/start')).toEqual(new MessageId(12n, 5n, 0, -1, 0));
  });

  it('takes a partition-less id as partition 0 of a one-partition stream only', () => {
    expect(parseMessageId('12:5', 1, '/start').partition).toBe(0);
    expect(() => parseMessageId('12:5', 3, '/start')).toThrow(ReplayError);
  });

  it('refuses garbage and partitions the stream does not have, naming the pointer', () => {
    expect(() => parseMessageId('not an id!', 1, '/end/messageIds/0')).toThrow(
      expect.objectContaining({
        code: 'INVALID_REPLAY',
        problems: [expect.objectContaining({ pointer: '/end/messageIds/0' })],
      }),
    );
    expect(() => parseMessageId('1:2:5', 3, '/start')).toThrow(ReplayError);
  });
});

describe(parsePartitionIds.name, () => {
  it('orders ids by partition and requires each partition exactly once', () => {
    expect(parsePartitionIds(['3:1:1', '2:0:0'], 2, '/start/messageIds').map((id) => id.ledgerId)).toEqual([
      2n,
      3n,
    ]);
    expect(() => parsePartitionIds(['3:1:1'], 2, '/p')).toThrow(ReplayError);
    expect(() => parsePartitionIds(['3:1:1', '4:1:1'], 2, '/p')).toThrow(ReplayError);
  });
});

describe(endVerdict.name, () => {
  const end = new MessageId(10n, 5n, 0);

  it('replays entries before the end, stops after it, and ends on the last message of the end entry', () => {
    expect(endVerdict(new MessageId(9n, 99n, 0), end)).toBe('before');
    expect(endVerdict(new MessageId(10n, 4n, 0), end)).toBe('before');
    expect(endVerdict(new MessageId(10n, 5n, 0), end)).toBe('last');
    expect(endVerdict(new MessageId(10n, 5n, 0, 1, 3), end)).toBe('before');
    expect(endVerdict(new MessageId(10n, 5n, 0, 2, 3), end)).toBe('last');
    expect(endVerdict(new MessageId(10n, 6n, 0), end)).toBe('after');
    expect(endVerdict(new MessageId(11n, 0n, 0), end)).toBe('after');
  });

  it('ends on the very message of an end id that names a batch index', () => {
    const inBatch = new MessageId(10n, 5n, 0, 1);
    expect(endVerdict(new MessageId(10n, 5n, 0, 0, 3), inBatch)).toBe('before');
    expect(endVerdict(new MessageId(10n, 5n, 0, 1, 3), inBatch)).toBe('last');
    expect(endVerdict(new MessageId(10n, 5n, 0, 2, 3), inBatch)).toBe('after');
  });
});

describe(entriesBetween.name, () => {
  const ledgers = [
    { ledgerId: 3, entries: 20 },
    { ledgerId: 5, entries: 20 },
    { ledgerId: 8, entries: 0 }, // the open ledger
  ];

  it('counts entries from the first (or a start) to the end, inclusive, bounding the open ledger by the end', () => {
    expect(entriesBetween(ledgers, undefined, new MessageId(8n, 4n))).toBe(45);
    expect(entriesBetween(ledgers, new MessageId(5n, 10n), new MessageId(8n, 0n))).toBe(11);
    expect(entriesBetween(ledgers, undefined, new MessageId(3n, 9n))).toBe(10);
  });
});
