import { formatByteRange } from './byte-range';

describe(formatByteRange.name, () => {
  it('formats an inclusive range and an open-ended one as HTTP Range headers', () => {
    expect(formatByteRange({ start: 0, end: 99 })).toBe('bytes=0-99');
    expect(formatByteRange({ start: 5, end: 5 })).toBe('bytes=5-5');
    expect(formatByteRange({ start: 1024 })).toBe('bytes=1024-');
  });

  it('rejects a negative or fractional start', () => {
    expect(() => formatByteRange({ start: -1 })).toThrow(RangeError);
    expect(() => formatByteRange({ start: 1.5 })).toThrow(
      'range start must be a non-negative integer, got 1.5',
    );
  });

  it('rejects an end before the start, which S3 would silently read as the whole object', () => {
    expect(() => formatByteRange({ start: 10, end: 9 })).toThrow(
      'range end must be an integer not below start (10), got 9',
    );
  });
});
