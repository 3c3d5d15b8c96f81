import { backlogAge } from './backlog-age';

describe(backlogAge.name, () => {
  const now = Date.UTC(2025, 0, 31, 12, 0, 0);

  it('is the age of the oldest first-unacknowledged message across partitions', () => {
    expect(
      backlogAge(
        [
          { partition: 0, backlog: 3, messages: 7, oldestPublishTime: now - 10_000 },
          { partition: 1, backlog: 5, messages: 5, oldestPublishTime: now - 95_500 },
        ],
        now,
      ),
    ).toEqual({
      messages: 12,
      entries: 8,
      exact: true,
      ageSeconds: 95.5,
      oldestPublishTime: new Date(now - 95_500).toISOString(),
    });
  });

  it('ignores partitions without backlog and has no age when nothing is unacknowledged', () => {
    expect(backlogAge([{ partition: 0, backlog: 0, oldestPublishTime: now - 1_000_000 }], now)).toEqual({
      messages: 0,
      entries: 0,
      exact: true,
      ageSeconds: null,
      oldestPublishTime: null,
    });
  });

  it('falls back to the entry count, marked inexact, for a partition whose messages were not counted', () => {
    expect(backlogAge([{ partition: 0, backlog: 500, oldestPublishTime: now }], now)).toMatchObject({
      messages: 500,
      entries: 500,
      exact: false,
    });
  });

  it('never reports a negative age when the broker clock is ahead', () => {
    expect(backlogAge([{ partition: 0, backlog: 1, oldestPublishTime: now + 2_000 }], now).ageSeconds).toBe(
      0,
    );
  });
});
