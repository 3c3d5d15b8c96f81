import { MessageId } from '../codec/message-id';
import { isAtOrBeforeSeekTarget, isPosition } from './seek-target';

describe(isAtOrBeforeSeekTarget.name, () => {
  it('skips the unbatched message sought and nothing else', () => {
    const target = new MessageId(5n, 2n);
    expect(isAtOrBeforeSeekTarget(new MessageId(5n, 2n), target)).toBe(true);
    expect(isAtOrBeforeSeekTarget(new MessageId(5n, 3n), target)).toBe(false);
    expect(isAtOrBeforeSeekTarget(new MessageId(6n, 2n), target)).toBe(false);
  });

  it('skips the batch messages up to the batch index sought', () => {
    const target = new MessageId(5n, 2n, -1, 1, 4);
    expect([0, 1, 2, 3].map((i) => isAtOrBeforeSeekTarget(new MessageId(5n, 2n, -1, i, 4), target))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('keeps a whole batch when the id sought names its entry only, as the official client', () => {
    expect(isAtOrBeforeSeekTarget(new MessageId(5n, 2n, -1, 0, 4), new MessageId(5n, 2n))).toBe(false);
  });
});

describe(isPosition.name, () => {
  it('tells real ids from earliest and latest', () => {
    expect(isPosition(new MessageId(5n, 2n))).toBe(true);
    expect(isPosition(MessageId.earliest())).toBe(false);
    expect(isPosition(MessageId.latest())).toBe(false);
  });
});
