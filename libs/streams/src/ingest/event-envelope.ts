import { createHash } from 'node:crypto';
import { FieldProblem, StreamsError } from '../errors';
import { RESERVED_PROPERTY_PREFIX } from '../events/event-properties';
import { canonicalJson } from '../schema/json-schema';

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

/** One checked event, ready to publish: the payload serialized once, event time in ms. */
export interface EnvelopedEvent {
  index: number;
  payload: unknown;
  data: Buffer;
  key?: string;
  eventTime?: number;
  properties?: Record<string, string>;
  id?: string;
}

/** The request body as the HTTP edge received it. */
export type EventsBody = { kind: 'json'; body: unknown } | { kind: 'ndjson'; text: string };

export interface EnvelopeLimits {
  maxEventBytes: number;
  maxEventsPerRequest: number;
}

const FIELDS = new Set(['payload', 'key', 'eventTime', 'properties', 'id']);
const MAX_ID_LENGTH = 256;

/** The events of a body: one JSON event, a JSON array of events, or NDJSON (one event per line). */
export function eventsOf(body: EventsBody): unknown[] {
  if (body.kind === 'json') {
    if (Array.isArray(body.body)) return body.body;
    if (body.body !== null && typeof body.body === 'object') return [body.body];
    throw new StreamsError('MALFORMED_EVENTS', 'the body must be an event object or an array of events');
  }
  const events: unknown[] = [];
  const problems: FieldProblem[] = [];
  body.text.split('\n').forEach((line, lineIndex) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
    } catch {
      problems.push({
        pointer: `/events/${events.length}`,
        detail: `line ${lineIndex + 1} is not valid JSON`,
      });
      events.push(undefined);
    }
  });
  if (problems.length > 0)
    throw new StreamsError('MALFORMED_EVENTS', 'the NDJSON body has malformed lines', { problems });
  return events;
}

/**
 * Checks every event's envelope (not its payload schema) and serializes its payload. Throws one error
 * naming every bad event, so a request is accepted or refused as a whole.
 */
export function envelopeEvents(events: unknown[], limits: EnvelopeLimits): EnvelopedEvent[] {
  if (events.length === 0) throw new StreamsError('MALFORMED_EVENTS', 'the request holds no event');
  if (events.length > limits.maxEventsPerRequest)
    throw new StreamsError(
      'REQUEST_TOO_LARGE',
      `the request holds ${events.length} events; at most ${limits.maxEventsPerRequest} are accepted per request`,
    );
  const problems: FieldProblem[] = [];
  const tooLarge: FieldProblem[] = [];
  const firstWithId = new Map<string, number>();
  const enveloped = events.map((event, index) => {
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
    const data = Buffer.from(JSON.stringify(input.payload ?? null), 'utf8');
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
  if (problems.length > 0)
    throw new StreamsError('INVALID_EVENTS', 'the request has invalid events', { problems });
  return enveloped as EnvelopedEvent[];
}

/**
 * SHA-256 of the canonical event: the same id with a different event is refused. Computed only for
 * requests that claim keys (an Idempotency-Key or event ids), not on every event.
 */
export function eventHash(event: EnvelopedEvent): string {
  const { payload, key, eventTime, properties, id } = event;
  return sha256(canonicalJson({ payload, key, eventTime, properties, id }));
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
