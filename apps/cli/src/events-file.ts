import { createHash } from 'node:crypto';
import { elementSpans } from '@gyre/json-spans';
import { UsageError } from './errors';

export interface EventBatch {
  index: number;
  /** How many events the batch holds. */
  count: number;
  /** The request body: a JSON array of the batch's events, each as the bytes the file holds. */
  body: Buffer;
  /** Derived from the file's bytes, the batching settings and the batch's index: a re-run sends the same key. */
  idempotencyKey: string;
}

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

// fatal: a file that is not UTF-8 is refused, never sent with U+FFFD in place of its bytes.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NEWLINE = 0x0a;

/**
 * The events of a file, each as the bytes the file holds (never parsed and serialised again, so a 64-bit id,
 * 1.0 or key order reach the stream as written): a JSON array, one event object (pretty-printed or not), or
 * NDJSON (one event per line, blank lines skipped). Each event is `{payload, key?, eventTime?, properties?,
 * id?}` as the API takes it; the API checks them. A leading UTF-8 byte order mark is skipped.
 */
export function parseEvents(file: Buffer, source: string): Buffer[] {
  const bytes = file.subarray(0, 3).equals(BOM) ? file.subarray(3) : file;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new UsageError(`${source} is not UTF-8 text`);
  }
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new UsageError(`${source} must hold a JSON array of events`);
    return elementSpans(bytes).map((span) => bytes.subarray(span.start, span.end));
  }
  if (trimmed.startsWith('{') && isJson(text)) return [trimWhitespace(bytes)];
  return ndjsonEvents(bytes, source);
}

function ndjsonEvents(bytes: Buffer, source: string): Buffer[] {
  const events: Buffer[] = [];
  let line = 0;
  for (let start = 0; start < bytes.length; line++) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    const event = trimWhitespace(bytes.subarray(start, end));
    start = end + 1;
    if (event.length === 0) continue;
    try {
      JSON.parse(event.toString('utf8'));
    } catch (error) {
      throw new UsageError(`${source} line ${line + 1} is not JSON: ${(error as Error).message}`);
    }
    events.push(event);
  }
  return events;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Without JSON's whitespace (space, tab, CR, LF) at either end. */
function trimWhitespace(bytes: Buffer): Buffer {
  const blank = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
  let start = 0;
  let end = bytes.length;
  while (start < end && blank(bytes[start])) start++;
  while (end > start && blank(bytes[end - 1])) end--;
  return bytes.subarray(start, end);
}

/**
 * Splits events into requests of at most `maxEvents` events and about `maxBytes` of body (an event larger
 * than that goes alone). The split depends only on the events and limits, so a re-run makes the same batches.
 */
export function batchEvents(content: Buffer, events: Buffer[], limits: BatchLimits): EventBatch[] {
  const run = createHash('sha256')
    .update(content)
    .update(`\0${limits.maxEvents}\0${limits.maxBytes}`)
    .digest('hex')
    .slice(0, 32);
  const batches: EventBatch[] = [];
  let current: Buffer[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length === 0) return;
    const index = batches.length;
    batches.push({
      index,
      count: current.length,
      body: arrayOf(current),
      idempotencyKey: `gyre-cli-${run}-${index}`,
    });
    current = [];
    bytes = 0;
  };
  for (const event of events) {
    const size = event.length + 1;
    if (current.length > 0 && (current.length >= limits.maxEvents || bytes + size > limits.maxBytes)) flush();
    current.push(event);
    bytes += size;
  }
  flush();
  return batches;
}

/** `[a,b,c]` from the events' bytes. */
function arrayOf(events: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from('[')];
  events.forEach((event, index) => parts.push(...(index === 0 ? [event] : [Buffer.from(','), event])));
  parts.push(Buffer.from(']'));
  return Buffer.concat(parts);
}
