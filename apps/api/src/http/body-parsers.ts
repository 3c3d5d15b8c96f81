import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonDepth } from '@gyre/json-spans';
import { InvalidRequestException } from '../problem-details/problem-details';

export const NDJSON = 'application/x-ndjson';
/** The ingestion route: its payloads are measured per event by ingestion (payload-too-deep, event named). */
export const EVENTS_ROUTE = '/v1/streams/:stream/events';
/**
 * Deepest JSON body accepted elsewhere (admin and consumption bodies, JSON Schemas included): deeper ones
 * would overflow the stack of the recursive validators (AJV) that read them.
 */
export const MAX_BODY_DEPTH = 128;

// fatal: bytes that are not UTF-8 are refused, never replaced by U+FFFD; ignoreBOM: a BOM stays in the
// text, so JSON.parse refuses it rather than the payload spans being shifted by three bytes.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const rawBodies = new WeakMap<object, Buffer>();

/** The body bytes exactly as received, for a request whose body was JSON or NDJSON. */
export function rawBodyOf(request: object): Buffer | undefined {
  return rawBodies.get(request);
}

/**
 * One request limit for every body (beyond it Fastify answers 413 without reading on). Bodies are read as
 * bytes: they must be UTF-8 (malformed-utf8), JSON is parsed here (malformed-json), and the raw bytes are
 * kept so ingestion publishes each payload as sent. NDJSON is split into events by ingestion.
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request, raw: Buffer, done) => {
      try {
        const text = utf8Of(raw);
        rawBodies.set(request, raw);
        const body = parseJson(text);
        refuseDeepBody(request, raw);
        done(null, body);
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  fastify.addContentTypeParser(NDJSON, { parseAs: 'buffer', bodyLimit }, (request, raw: Buffer, done) => {
    try {
      utf8Of(raw);
      rawBodies.set(request, raw);
      done(null, raw);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

function refuseDeepBody(request: FastifyRequest, raw: Buffer): void {
  if (request.routeOptions.url === EVENTS_ROUTE || raw.length < 2 * MAX_BODY_DEPTH) return;
  const depth = jsonDepth(raw);
  if (depth > MAX_BODY_DEPTH)
    throw new InvalidRequestException(
      'body-too-deep',
      422,
      `the request body nests ${depth} levels deep; at most ${MAX_BODY_DEPTH} are accepted`,
    );
}

function utf8Of(raw: Buffer): string {
  try {
    return UTF8.decode(raw);
  } catch {
    throw new InvalidRequestException('malformed-utf8', 400, 'the request body is not valid UTF-8');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidRequestException('malformed-json', 400, 'the request body is not valid JSON');
  }
}
