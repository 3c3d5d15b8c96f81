import { MessageId } from '../codec/message-id';
import { HeldEntries } from './held-entries';

const inBatch = (index: number, entry = 3n): MessageId => new MessageId(7n, entry, -1, index, 3);
const indexes = (ids: MessageId[]): string[] => ids.map((id) => id.toJavaString());

describe(HeldEntries.name, () => {
  it('redelivers at once when no sibling of the entry is in flight', () => {
    const held = new HeldEntries();
    held.delivered(inBatch(0));
    expect(indexes(held.due([inBatch(0)]))).toEqual(['7:3:-1:0']);
    expect(held.size).toBe(0);
  });

  it('holds a due message until its in-flight siblings are acked', () => {
    const held = new HeldEntries();
    for (const index of [0, 1, 2]) held.delivered(inBatch(index));
    expect(held.due([inBatch(1)])).toEqual([]);
    expect(held.acked(inBatch(0))).toEqual([]);
    expect(indexes(held.acked(inBatch(2)))).toEqual(['7:3:-1:1']);
    expect(held.size).toBe(0);
  });

  it('releases every held message of an entry together once the last sibling is due', () => {
    const held = new HeldEntries();
    for (const index of [0, 1, 2]) held.delivered(inBatch(index));
    held.acked(inBatch(0));
    expect(held.due([inBatch(2)])).toEqual([]);
    expect(indexes(held.due([inBatch(1)]))).toEqual(['7:3:-1:2', '7:3:-1:1']);
  });

  it('keeps entries apart and never holds unbatched messages', () => {
    const held = new HeldEntries();
    held.delivered(inBatch(0, 3n));
    held.delivered(inBatch(1, 3n));
    held.delivered(inBatch(0, 4n));
    const single = new MessageId(7n, 5n, -1);
    held.delivered(single);
    expect(indexes(held.due([inBatch(0, 4n), single, inBatch(0, 3n)]))).toEqual(['7:4:-1:0', '7:5:-1']);
    expect(held.size).toBe(1);
  });

  it('redelivers ids it never saw delivered, and forgets everything on clear', () => {
    const held = new HeldEntries();
    expect(indexes(held.due([inBatch(2)]))).toEqual(['7:3:-1:2']);
    held.delivered(inBatch(0));
    held.delivered(inBatch(1));
    expect(held.due([inBatch(0)])).toEqual([]);
    held.clear();
    expect(held.acked(inBatch(1))).toEqual([]);
    expect(held.size).toBe(0);
  });
});
