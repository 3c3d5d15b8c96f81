import { createHash } from 'node:crypto';
import { canonicalJson, FieldProblem, RESERVED_PROPERTY_PREFIX, StreamsError } from '@gyre/streams';
import { payloadSpans, PayloadSpan } from '@gyre/json-spans';

/** What a client sends for one event. */
export interface EventInput {
  payload: unknown;
  /** Ordering and Key_Shared routing key (also picks the partition). */
  key?: string;
  /** RFC 3339 date-time or milliseconds since the epoch. */
  eventTime?: string | number;
  properties?: Record<string, string>;
  /** Client-chosen id: an event with an id already published within the window is not published again. */
  id?: string;
}

/** One checked event, ready to publish: the payload bytes as the client sent them, event time in ms. */
export interface EnvelopedEvent {
  index: number;
  /** The parsed payload, for schema validation only: what is published is `data`. */
  payload: unknown;
  data: Buffer;
  key?: string;
  eventTime?: number;
  properties?: Record<string, string>;
  id?: string;
}

/**
 * The request body as the HTTP edge received it: the raw bytes (valid UTF-8) and, for JSON, the parsed value.
 * Payload bytes are sliced from `raw`, so what is published is exactly what the client sent.
 */
export type EventsBody = { kind: 'json'; raw: Buffer; body: unknown } | { kind: 'ndjson'; raw: Buffer };

/** One event of a body: its parsed value and, when it is an object with a payload, the payload's bytes. */
export interface ReceivedEvent {
  value: unknown;
  payload?: { bytes: Buffer; depth: number };
}

export interface EnvelopeLimits {
  maxEventBytes: number;
  maxEventsPerRequest: number;
  /** Deepest payload nesting accepted; a deeper payload never reaches a recursive function. */
  maxPayloadDepth: number;
}

const FIELDS = new Set(['payload', 'key', 'eventTime', 'properties', 'id']);
const MAX_ID_LENGTH = 256;

/** The events of a body: one JSON event, a JSON array of events, or NDJSON (one event per line). */
export function eventsOf(body: EventsBody): ReceivedEvent[] {
  if (body.kind === 'json') {
    const values = Array.isArray(body.body) ? body.body : [body.body];
    if (!Array.isArray(body.body) && (body.body === null || typeof body.body !== 'object'))
      throw new StreamsError('MALFORMED_EVENTS', 'the body must be an event object or an array of events');
    const spans = payloadSpans(body.raw);
    return values.map((value, index) => received(body.raw, value, spans[index]));
  }
  const events: ReceivedEvent[] = [];
  const problems: FieldProblem[] = [];
  const { raw } = body;
  for (let start = 0, line = 1; start < raw.length; start = nextLine(raw, start), line++) {
    const end = lineEnd(raw, start);
    const text = raw.toString('utf8', start, end);
    if (text.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(text);
      const span = isObject(value) ? payloadSpans(raw, start, end)[0] : undefined;
      events.push(received(raw, value, span));
    } catch {
      problems.push({ pointer: `/events/${events.length}`, detail: `line ${line} is not valid JSON` });
      events.push({ value: undefined });
    }
  }
  if (problems.length > 0)
    throw new StreamsError('MALFORMED_EVENTS', 'the NDJSON body has malformed lines', { problems });
  return events;
}

function received(raw: Buffer, value: unknown, span: PayloadSpan | undefined): ReceivedEvent {
  if (!span) return { value };
  return { value, payload: { bytes: raw.subarray(span.start, span.end), depth: span.depth } };
}

function lineEnd(raw: Buffer, start: number): number {
  const newline = raw.indexOf(0x0a, start);
  return newline === -1 ? raw.length : newline;
}

function nextLine(raw: Buffer, start: number): number {
  return lineEnd(raw, start) + 1;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks every event's envelope and payload depth (not its payload schema) and keeps its payload bytes.
 * Throws one error naming every bad event, so a request is accepted or refused as a whole.
 */
export function envelopeEvents(events: ReceivedEvent[], limits: EnvelopeLimits): EnvelopedEvent[] {
  if (events.length === 0) throw new StreamsError('MALFORMED_EVENTS', 'the request holds no event');
  if (events.length > limits.maxEventsPerRequest)
    throw new StreamsError(
      'REQUEST_TOO_LARGE',
      `the request holds ${events.length} events; at most ${limits.maxEventsPerRequest} are accepted per request`,
    );
  const problems: FieldProblem[] = [];
  const tooLarge: FieldProblem[] = [];
  const tooDeep: FieldProblem[] = [];
  const firstWithId = new Map<string, number>();
  const enveloped = events.map(({ value: event, payload }, index) => {
    const at = `/events/${index}`;
    const problem = (field: string, detail: string) => problems.push({ pointer: `${at}${field}`, detail });
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      problem('', 'must be an object with a payload');
      return undefined;
    }
    const input = event as Record<string, unknown>;
    for (const field of Object.keys(input).filter((name) => !FIELDS.has(name)))
      problem(`/${field}`, `is not an event field (allowed: ${[...FIELDS].join(', ')})`);
    if (input.payload === undefined) problem('/payload', 'is required');
    if (input.key !== undefined && (typeof input.key !== 'string' || input.key === ''))
      problem('/key', 'must be a non-empty string');
    const eventTime = parseEventTime(input.eventTime);
    if (eventTime === null)
      problem('/eventTime', 'must be an RFC 3339 date-time or milliseconds since the epoch');
    if (input.properties !== undefined && !isStringMap(input.properties))
      problem('/properties', 'must be an object of string values');
    else if (input.properties !== undefined) {
      const reserved = Object.keys(input.properties).find((name) =>
        name.startsWith(RESERVED_PROPERTY_PREFIX),
      );
      if (reserved)
        problem(
          `/properties/${reserved}`,
          `uses the prefix "${RESERVED_PROPERTY_PREFIX}", reserved for Gyre`,
        );
    }
    if (input.id !== undefined) {
      if (typeof input.id !== 'string' || input.id === '' || input.id.length > MAX_ID_LENGTH)
        problem('/id', `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
      else if (firstWithId.has(input.id))
        problem('/id', `repeats the id of /events/${firstWithId.get(input.id)}`);
      else firstWithId.set(input.id, index);
    }
    const data = payload?.bytes ?? Buffer.from('null');
    if (payload && payload.depth > limits.maxPayloadDepth)
      tooDeep.push({
        pointer: `${at}/payload`,
        detail: `nests ${payload.depth} levels deep; at most ${limits.maxPayloadDepth} are accepted`,
      });
    if (data.length > limits.maxEventBytes)
      tooLarge.push({
        pointer: `${at}/payload`,
        detail: `is ${data.length} bytes; at most ${limits.maxEventBytes} are accepted per event`,
      });
    const normalized = {
      payload: input.payload,
      key: input.key as string | undefined,
      eventTime: eventTime ?? undefined,
      properties: input.properties as Record<string, string> | undefined,
      id: input.id as string | undefined,
    };
    return { index, data, ...normalized };
  });
  if (tooLarge.length > 0)
    throw new StreamsError('EVENT_TOO_LARGE', 'an event exceeds the size limit per event', {
      problems: tooLarge,
    });
  if (tooDeep.length > 0)
    throw new StreamsError('PAYLOAD_TOO_DEEP', 'an event payload nests deeper than the limit', {
      problems: tooDeep,
    });
  if (problems.length > 0)
    throw new StreamsError('INVALID_EVENTS', 'the request has invalid events', { problems });
  return enveloped as EnvelopedEvent[];
}

/**
 * SHA-256 of the event: its canonical envelope and its payload bytes as sent, so a retry that spells the
 * payload differently (1.0 for 1) is another event. Computed only for requests that claim keys.
 */
export function eventHash(event: EnvelopedEvent): string {
  const { key, eventTime, properties, id } = event;
  return createHash('sha256')
    .update(canonicalJson({ key, eventTime, properties, id }))
    .update('\n')
    .update(event.data)
    .digest('hex');
}

/** The hash identifying a whole request: the same events, however they were framed, hash the same. */
export function requestHash(events: EnvelopedEvent[]): string {
  return sha256(events.map(eventHash).join('\n'));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Undefined when absent, null when present but not a time. */
function parseEventTime(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)
  )
    return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || ms < 0 ? null : ms;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}
