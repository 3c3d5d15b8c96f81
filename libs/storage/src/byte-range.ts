/** Bytes `start` to `end` of an object, both inclusive (HTTP's convention); no `end` means to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

/** The HTTP Range header for `range`; rejects a range S3 would misread (negative, reversed, fractional). */
export function formatByteRange({ start, end }: ByteRange): string {
  if (!Number.isSafeInteger(start) || start < 0)
    throw new RangeError(`range start must be a non-negative integer, got ${start}`);
  if (end === undefined) return `bytes=${start}-`;
  if (!Number.isSafeInteger(end) || end < start) {
    throw new RangeError(`range end must be an integer not below start (${start}), got ${end}`);
  }
  return `bytes=${start}-${end}`;
}
