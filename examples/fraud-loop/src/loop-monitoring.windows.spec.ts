import type { MonitoredPrediction } from './loop-monitoring.store';
import { groupByWindow, timeRange, windowKey } from './loop-monitoring.windows';

const scored = (
  epoch: number,
  modelVersion: number,
  role: MonitoredPrediction['role'],
  eventTime: number | null = null,
): MonitoredPrediction => ({
  modelVersion,
  role,
  epoch,
  values: [1, 2],
  score: role === 'served' ? 0.1 : 0.2,
  label: null,
  eventTime,
});

describe(groupByWindow.name, () => {
  // Epoch 3: v1 served, v2 shadowed; v2 promoted in epoch 4 serves it with no challenger.
  const predictions = [
    scored(4, 2, 'served'),
    scored(3, 2, 'shadow'),
    scored(3, 1, 'served'),
    scored(3, 2, 'shadow'),
    scored(3, 1, 'served'),
  ];

  it('gives each (epoch, role, version) its own epoch window, by epoch, served before shadow', () => {
    const windows = groupByWindow(predictions, 'epoch');

    expect(
      windows.map(({ epoch, role, modelVersion, rows }) => [epoch, role, modelVersion, rows.length]),
    ).toEqual([
      [3, 'served', 1, 2],
      [3, 'shadow', 2, 2],
      [4, 'served', 2, 1],
    ]);
    expect(windows[1].rows.every((row) => row.role === 'shadow' && row.score === 0.2)).toBe(true);
  });

  it("keeps a version's shadow and served scores apart in a rolling window (a challenger promoted within it)", () => {
    const windows = groupByWindow(predictions, 'rolling');

    expect(
      windows.map(({ epoch, role, modelVersion, rows }) => [epoch, role, modelVersion, rows.length]),
    ).toEqual([
      [null, 'served', 1, 2],
      [null, 'served', 2, 1],
      [null, 'shadow', 2, 2],
    ]);
  });

  it('has no window without predictions', () => {
    expect(groupByWindow([], 'epoch')).toEqual([]);
  });
});

describe(timeRange.name, () => {
  it("spans the window's first and last event time, passing over predictions without one", () => {
    expect(
      timeRange([scored(1, 1, 'served', 30), scored(1, 1, 'served', null), scored(1, 1, 'served', 10)]),
    ).toEqual({ from: 10, to: 30 });
    expect(timeRange([scored(1, 1, 'served', null)])).toBeNull();
  });
});

describe(windowKey.name, () => {
  it("names an epoch window by its epoch and the rolling one 'rolling', whatever the role", () => {
    expect(windowKey(3)).toBe('epoch:3');
    expect(windowKey(null)).toBe('rolling');
  });
});
