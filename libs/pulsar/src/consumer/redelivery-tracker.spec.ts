import { MessageId } from '../codec/message-id';
import { RedeliveryTracker } from './redelivery-tracker';

const id = (entry: bigint) => new MessageId(1n, entry, -1);

describe(RedeliveryTracker.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('redelivers an id given its own short delay on time, although the default delay is long', () => {
    const due: string[] = [];
    const tracker = new RedeliveryTracker(60_000, (ids) => due.push(...ids.map((x) => x.toString())));
    tracker.add(id(1n));
    tracker.add(id(2n), 90);
    jest.advanceTimersByTime(80);
    expect(due).toEqual([]);
    jest.advanceTimersByTime(50);
    expect(due).toEqual([id(2n).toString()]);
    jest.advanceTimersByTime(60_000);
    expect(due).toEqual([id(2n).toString(), id(1n).toString()]);
    tracker.stop();
  });

  it('forgets acknowledged ids', () => {
    const due: MessageId[] = [];
    const tracker = new RedeliveryTracker(100, (ids) => due.push(...ids));
    tracker.add(id(1n));
    tracker.remove(id(1n));
    jest.advanceTimersByTime(500);
    expect(due).toEqual([]);
    tracker.stop();
  });
});
