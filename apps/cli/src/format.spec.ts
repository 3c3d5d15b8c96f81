import { formatBytes, formatCount, formatDuration, formatTable } from './format';

describe('CLI formatting', () => {
  it('writes bytes in binary units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(20 * 1024 * 1024 + 1)).toBe('20.0 MiB');
    expect(formatBytes(300 * 1024 ** 3)).toBe('300 GiB');
  });

  it('writes durations as h/m/s and an unknown one as --', () => {
    expect(formatDuration(4.2)).toBe('4s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3725)).toBe('1h02m05s');
    expect(formatDuration(null)).toBe('--');
    expect(formatDuration(Infinity)).toBe('--');
  });

  it('groups counts by thousands', () => {
    expect(formatCount(1234567.4)).toBe('1,234,567');
  });

  it('pads table columns to the widest cell and right-aligns numeric columns', () => {
    expect(
      formatTable(
        ['name', 'events'],
        [
          ['clicks', 5],
          ['views-long-name', 12345],
        ],
      ),
    ).toBe(['name             events', 'clicks                5', 'views-long-name   12345', ''].join('\n'));
  });
});
