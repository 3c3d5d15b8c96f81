import { formatBytes, formatDuration, formatRate, formatSeconds, percentDone } from './format';

describe(formatBytes.name, () => {
  it('writes bytes in binary units with three significant figures', () => {
    expect([0, 812, 1536, 3 * 1024 ** 2, 5.5 * 1024 ** 4].map(formatBytes)).toEqual([
      '0 B',
      '812 B',
      '1.50 KiB',
      '3.00 MiB',
      '5.50 TiB',
    ]);
  });
});

describe(formatRate.name, () => {
  it('rounds high rates to integers and keeps one decimal for low ones', () => {
    expect([212.56, 3.456, 0].map(formatRate)).toEqual(['213/s', '3.5/s', '0/s']);
  });
});

describe(formatSeconds.name, () => {
  it('writes the two largest units', () => {
    expect([null, 45.2, 200, 7500].map(formatSeconds)).toEqual(['-', '45 s', '3 min 20 s', '2 h 5 min']);
  });
});

describe(percentDone.name, () => {
  it('never shows 100 % before the job is finished, and shows 100 % once it is', () => {
    expect(percentDone(1500, 1500, false)).toBe(99);
    expect(percentDone(750, 1500, false)).toBe(50);
    expect(percentDone(0, 0, false)).toBe(0);
    expect(percentDone(10, 1500, true)).toBe(100);
  });
});

describe(formatDuration.name, () => {
  it('keeps one decimal under ten seconds and reads longer ones like formatSeconds', () => {
    expect([0.04, 0.46, 9.94, 200, null].map(formatDuration)).toEqual([
      '0.0 s',
      '0.5 s',
      '9.9 s',
      '3 min 20 s',
      '-',
    ]);
  });
});
