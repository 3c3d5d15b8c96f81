/**
 * Byte spans in a raw JSON body, found without recursion, so each event's payload can be published as the
 * exact bytes the client sent (no parse-then-serialise: big integers, 1.0, -0, key order and whitespace
 * stay as sent) and a payload nested 10,000 deep is measured, not walked by a recursive function.
 *
 * The scanner trusts the text to be valid JSON (the caller has parsed it with JSON.parse first): it only
 * tracks strings, brackets and commas. Structural characters are ASCII, so scanning UTF-8 bytes is safe.
 */

/** Where a JSON value sits in a buffer: raw[start, end). */
export interface ByteSpan {
  start: number;
  end: number;
}

/** Where one event's payload value sits in the body, and how deeply it nests (a scalar is 0, `[]` is 1). */
export interface PayloadSpan extends ByteSpan {
  depth: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const PAYLOAD = memberName('payload');

/**
 * The payload span of each event in raw[from, to): one entry for a top-level object, one per element for a
 * top-level array (undefined for an element that is not an object or has no payload), none otherwise.
 */
export function payloadSpans(raw: Buffer, from = 0, to = raw.length): (PayloadSpan | undefined)[] {
  const at = skipWhitespace(raw, from, to);
  if (raw[at] === OPEN_OBJECT) return [memberAt(raw, at, to, PAYLOAD).value];
  if (raw[at] !== OPEN_ARRAY) return [];
  const spans: (PayloadSpan | undefined)[] = [];
  let position = skipWhitespace(raw, at + 1, to);
  if (raw[position] === CLOSE_ARRAY) return spans;
  for (;;) {
    const event = raw[position] === OPEN_OBJECT ? memberAt(raw, position, to, PAYLOAD) : undefined;
    spans.push(event?.value);
    position = skipWhitespace(raw, event ? event.end : skipValue(raw, position, to).end, to);
    if (raw[position] !== COMMA) return spans;
    position = skipWhitespace(raw, position + 1, to);
  }
}

/**
 * Where each element of the top-level array in raw[from, to) sits, as written (none for an empty array or a
 * text that is not an array): a file of events can be cut into requests without re-serialising any event.
 */
export function elementSpans(raw: Buffer, from = 0, to = raw.length): ByteSpan[] {
  const at = skipWhitespace(raw, from, to);
  if (raw[at] !== OPEN_ARRAY) return [];
  const spans: ByteSpan[] = [];
  let position = skipWhitespace(raw, at + 1, to);
  if (raw[position] === CLOSE_ARRAY) return spans;
  for (;;) {
    const end = skipValue(raw, position, to).end;
    spans.push({ start: position, end });
    position = skipWhitespace(raw, end, to);
    if (raw[position] !== COMMA) return spans;
    position = skipWhitespace(raw, position + 1, to);
  }
}

/**
 * The span of the member `name` of the object in raw[from, to) (the last one, as JSON.parse keeps the last
 * duplicate); undefined when the text is not an object or has no such member.
 */
export function memberSpan(raw: Buffer, name: string, from = 0, to = raw.length): PayloadSpan | undefined {
  const at = skipWhitespace(raw, from, to);
  return raw[at] === OPEN_OBJECT ? memberAt(raw, at, to, memberName(name)).value : undefined;
}

/** How deeply the JSON text in raw[from, to) nests arrays and objects (a scalar is 0), without recursion. */
export function jsonDepth(raw: Buffer, from = 0, to = raw.length): number {
  return skipValue(raw, skipWhitespace(raw, from, to), to).depth;
}

interface MemberName {
  name: string;
  /** The name as a JSON string in UTF-8, quotes included: what an unescaped key is, byte for byte. */
  quoted: Buffer;
}

function memberName(name: string): MemberName {
  return { name, quoted: Buffer.from(JSON.stringify(name)) };
}

/** The span of the last member `name` of the object at `at`, and where the object ends. */
function memberAt(
  raw: Buffer,
  at: number,
  to: number,
  name: MemberName,
): { value?: PayloadSpan; end: number } {
  let value: PayloadSpan | undefined;
  let position = skipWhitespace(raw, at + 1, to);
  while (raw[position] === QUOTE) {
    const keyEnd = skipString(raw, position, to);
    const valueStart = skipWhitespace(raw, skipWhitespace(raw, keyEnd, to) + 1, to); // past the colon
    const skipped = skipValue(raw, valueStart, to);
    if (isKey(raw, position, keyEnd, name))
      value = { start: valueStart, end: skipped.end, depth: skipped.depth };
    position = skipWhitespace(raw, skipped.end, to);
    if (raw[position] !== COMMA) break;
    position = skipWhitespace(raw, position + 1, to);
  }
  return { value, end: position + 1 }; // past the closing brace
}

function isKey(raw: Buffer, start: number, end: number, name: MemberName): boolean {
  let escaped = false;
  let same = end - start === name.quoted.length;
  for (let index = start; index < end; index++) {
    if (raw[index] === BACKSLASH) escaped = true;
    if (same && raw[index] !== name.quoted[index - start]) same = false;
  }
  // An escaped spelling ("pay\u006coad") is the same key to JSON.parse.
  return same || (escaped && JSON.parse(raw.toString('utf8', start, end)) === name.name);
}

/** The end (exclusive) and nesting depth of the value starting at `start`, with a counter, not a call stack. */
function skipValue(raw: Buffer, start: number, to: number): { end: number; depth: number } {
  let depth = 0;
  let deepest = 0;
  let position = start;
  while (position < to) {
    const byte = raw[position];
    if (byte === QUOTE) {
      position = skipString(raw, position, to);
      if (depth === 0) return { end: position, depth: deepest };
      continue;
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (depth === 0 && isScalarEnd(byte)) {
      return { end: position, depth: 0 }; // the end of a number, true, false or null
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return { end: position + 1, depth: deepest };
    }
    position++;
  }
  return { end: position, depth: deepest };
}

/** The position just past the string whose opening quote is at `start` (native search for each quote). */
function skipString(raw: Buffer, start: number, to: number): number {
  let position = start + 1;
  for (;;) {
    const quote = raw.indexOf(QUOTE, position);
    if (quote === -1 || quote >= to) return to;
    // A quote preceded by an odd number of backslashes is escaped; the opening quote stops the count.
    let backslashes = 0;
    while (raw[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    position = quote + 1;
  }
}

function isScalarEnd(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isWhitespace(byte);
}

function skipWhitespace(raw: Buffer, from: number, to: number): number {
  let position = from;
  while (position < to && isWhitespace(raw[position])) position++;
  return position;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
