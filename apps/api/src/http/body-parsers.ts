import type { FastifyInstance } from 'fastify';
import { InvalidRequestException } from '../problem-details/problem-details';

export const NDJSON = 'application/x-ndjson';

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
        done(null, parseJson(text));
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
