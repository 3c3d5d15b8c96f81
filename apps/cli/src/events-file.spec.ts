import { UsageError } from './errors';
import { batchEvents, parseEvents } from './events-file';

const texts = (file: string, source = 'f') => parseEvents(Buffer.from(file), source).map(String);

describe('events files', () => {
  it('reads a JSON array of events, each as the bytes the file holds', () => {
    expect(texts(' [{"payload":{"id":9007199254740993}} ,\n{"payload":{"a":1.0, "b":-0}}]\n')).toEqual([
      '{"payload":{"id":9007199254740993}}',
      '{"payload":{"a":1.0, "b":-0}}',
    ]);
  });

  it('reads NDJSON, one event per line as written, skipping blank lines', () => {
    expect(texts('{"payload":12345678901234567890}\n\n  {"payload": 2}\r\n')).toEqual([
      '{"payload":12345678901234567890}',
      '{"payload": 2}',
    ]);
  });

  it('reads one event object, pretty-printed, as written', () => {
    const event = '{\n  "key": "k",\n  "payload": {"id": 9007199254740993}\n}';
    expect(texts(`\n${event}\n`)).toEqual([event]);
  });

  it('skips a leading byte order mark and refuses a file that is not UTF-8', () => {
    expect(texts('\ufeff[{"payload":1}]')).toEqual(['{"payload":1}']);
    const latin1 = Buffer.from([...Buffer.from('{"payload":"caf'), 0xe9, ...Buffer.from('"}')]);
    expect(() => parseEvents(latin1, 'f.ndjson')).toThrow(new UsageError('f.ndjson is not UTF-8 text'));
  });

  it('names the line that is not JSON', () => {
    expect(() => texts('{"payload":1}\n{oops\n', 'events.ndjson')).toThrow(
      new UsageError('events.ndjson line 2 is not JSON: ' + jsonError('{oops')),
    );
  });

  it('refuses a JSON document that is not an array', () => {
    expect(() => texts('[1', 'f.json')).toThrow(UsageError);
    expect(texts('')).toEqual([]);
  });

  it('splits events into batches by count and by bytes, an oversized event alone, bodies as written', () => {
    const events = ['{"p":"xxxxxxxxxx"}', '{"p":1.0}', '{"p":2}', `{"p":"${'y'.repeat(100)}"}`, '{"p":3}'];
    const batches = batchEvents(Buffer.from('c'), events.map(Buffer.from), { maxEvents: 2, maxBytes: 50 });
    expect(batches.map((b) => b.count)).toEqual([2, 1, 1, 1]);
    expect(String(batches[0].body)).toBe('[{"p":"xxxxxxxxxx"},{"p":1.0}]');
    expect(String(batches[3].body)).toBe('[{"p":3}]');
    const one = batchEvents(Buffer.from('c'), events.map(Buffer.from), { maxEvents: 10, maxBytes: 1e6 });
    expect(one.map((b) => b.count)).toEqual([5]);
    expect(String(one[0].body)).toBe(`[${events.join(',')}]`);
  });

  it('derives the same idempotency keys from the same content and settings, and others otherwise', () => {
    const events = [1, 2, 3].map((n) => Buffer.from(`{"payload":${n}}`));
    const keys = (content: string, maxEvents: number) =>
      batchEvents(Buffer.from(content), events, { maxEvents, maxBytes: 1e6 }).map(
        (batch) => batch.idempotencyKey,
      );
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
