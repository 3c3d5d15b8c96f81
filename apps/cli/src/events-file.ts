import { createHash } from 'node:crypto';
import { UsageError } from './errors';

export interface EventBatch {
  index: number;
  events: unknown[];
  /** Derived from the file's bytes, the batching settings and the batch's index: a re-run sends the same key. */
  idempotencyKey: string;
}

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * The events of a file: a JSON array, or NDJSON (one event per line, blank lines skipped). Each element is
 * an event as the API takes it (`{payload, key?, eventTime?, properties?, id?}`); the API checks them.
 */
export function parseEvents(text: string, source: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new UsageError(`${source} must hold a JSON array of events`);
    return parsed;
  }
  const events: unknown[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
    } catch (error) {
      throw new UsageError(`${source} line ${index + 1} is not JSON: ${(error as Error).message}`);
    }
  });
  return events;
}

/**
 * Splits events into requests of at most `maxEvents` events and about `maxBytes` of JSON (an event larger
 * than that goes alone). The split depends only on the events and limits, so a re-run makes the same batches.
 */
export function batchEvents(content: string, events: unknown[], limits: BatchLimits): EventBatch[] {
  const run = createHash('sha256')
    .update(content)
    .update(`\0${limits.maxEvents}\0${limits.maxBytes}`)
    .digest('hex')
    .slice(0, 32);
  const batches: EventBatch[] = [];
  let current: unknown[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length === 0) return;
    const index = batches.length;
    batches.push({ index, events: current, idempotencyKey: `gyre-cli-${run}-${index}` });
    current = [];
    bytes = 0;
  };
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event) ?? 'null') + 1;
    if (current.length > 0 && (current.length >= limits.maxEvents || bytes + size > limits.maxBytes)) flush();
    current.push(event);
    bytes += size;
  }
  flush();
  return batches;
}
