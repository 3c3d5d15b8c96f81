import { MessageId } from '@gyre/pulsar';
import { resolvePartitionBounds } from './partition-bounds';

describe(resolvePartitionBounds.name, () => {
  const last = [new MessageId(10n, 9n, 0), undefined, new MessageId(12n, 3n, 2)];

  it('reads every partition from the earliest to its last message at creation; an empty one not at all', () => {
    expect(resolvePartitionBounds({ kind: 'earliest' }, { kind: 'lastAtStart' }, last)).toEqual([
      { partition: 0, start: undefined, end: last[0] },
      { partition: 1, start: undefined, end: undefined },
      { partition: 2, start: undefined, end: last[2] },
    ]);
  });

  it('starts at given ids and ends at given ids, but never past the last message at creation', () => {
    const bounds = resolvePartitionBounds(
      { kind: 'messageIds', messageIds: ['10:2:0', '1:0:1', '12:0:2'] },
      { kind: 'messageIds', messageIds: ['10:5:0', '2:0:1', '99:0:2'] },
      last,
    );
    expect(bounds.map((bound) => [bound.start?.toJavaString(), bound.end?.toJavaString()])).toEqual([
      ['10:2:0', '10:5:0'],
      ['1:0:1', undefined],
      ['12:0:2', '12:3:2'],
    ]);
  });

  it('refuses an end before the start on any partition', () => {
    expect(() =>
      resolvePartitionBounds(
        { kind: 'messageIds', messageIds: ['10:5:0'] },
        { kind: 'messageIds', messageIds: ['10:4:0'] },
        [new MessageId(10n, 9n, 0)],
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_REPLAY' }));
  });
});
