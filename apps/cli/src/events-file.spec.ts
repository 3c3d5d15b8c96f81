import { UsageError } from './errors';
import { batchEvents, parseEvents } from './events-file';

describe('events files', () => {
  it('reads a JSON array of events', () => {
    expect(parseEvents(' [{"payload":{"a":1}},{"payload":{"a":2}}]\n', 'f.json')).toEqual([
      { payload: { a: 1 } },
      { payload: { a: 2 } },
    ]);
  });

  it('reads NDJSON, one event per line, skipping blank lines', () => {
    expect(parseEvents('{"payload":1}\n\n{"payload":2}\r\n', 'f.ndjson')).toEqual([
      { payload: 1 },
      { payload: 2 },
    ]);
  });

  it('names the line that is not JSON', () => {
    expect(() => parseEvents('{"payload":1}\n{oops\n', 'events.ndjson')).toThrow(
      new UsageError('events.ndjson line 2 is not JSON: ' + jsonError('{oops')),
    );
  });

  it('refuses a JSON document that is not an array', () => {
    expect(() => parseEvents('[1', 'f.json')).toThrow(UsageError);
    expect(parseEvents('', 'f.json')).toEqual([]);
  });

  it('splits events into batches by count and by bytes, an oversized event alone', () => {
    const events = [{ p: 'x'.repeat(10) }, { p: 1 }, { p: 2 }, { p: 'y'.repeat(100) }, { p: 3 }];
    const sizes = batchEvents('c', events, { maxEvents: 2, maxBytes: 50 }).map((b) => b.events.length);
    expect(sizes).toEqual([2, 1, 1, 1]);
    expect(batchEvents('c', events, { maxEvents: 10, maxBytes: 1e6 }).map((b) => b.events.length)).toEqual([
      5,
    ]);
  });

  it('derives the same idempotency keys from the same content and settings, and others otherwise', () => {
    const events = [1, 2, 3].map((n) => ({ payload: n }));
    const keys = (content: string, maxEvents: number) =>
      batchEvents(content, events, { maxEvents, maxBytes: 1e6 }).map((batch) => batch.idempotencyKey);
    const first = keys('file-a', 2);
    expect(first).toEqual(keys('file-a', 2));
    expect(first).toHaveLength(2);
    expect(new Set(first).size).toBe(2);
    expect(first.every((key) => /^[\x21-\x7e]{1,255}$/.test(key))).toBe(true);
    expect(keys('file-b', 2)[0]).not.toBe(first[0]);
    expect(keys('file-a', 3)[0]).not.toBe(first[0]);
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}
