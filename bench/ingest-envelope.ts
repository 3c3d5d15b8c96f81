/**
 * The CPU cost of turning a request body into publishable payload bytes, in-process (no stack needed):
 *
 *   before: the body read as a string (Fastify's parseAs 'string'), JSON.parse, then JSON.stringify of each
 *           payload (the parse-then-serialise step that also rewrote 64-bit ids, 1.0 and -0);
 *   after:  the body read as bytes and checked as UTF-8 (TextDecoder fatal), JSON.parse, then each payload's
 *           bytes sliced from the body by the span scanner (libs/json-spans/src/json-spans.ts).
 *
 * Bodies as bench/api-ingest.ts sends them: JSON arrays of --batch 1-KiB events. Prints the median over
 * --rounds rounds of --iterations bodies each, in ms per body and MB/s.
 *
 *   npx ts-node bench/ingest-envelope.ts [--batch 500] [--iterations 200] [--rounds 7]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { payloadSpans } from '@gyre/json-spans';

const EVENT_BYTES = 1024;
const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '500' },
    iterations: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '7' },
  },
});
const batch = Number(values.batch);
const iterations = Number(values.iterations);
const rounds = Number(values.rounds);

function payloadOf(i: number): Record<string, unknown> {
  const base = { user: `u${i % 1000}`, item: `i${i % 5000}`, score: 0.5, context: '' };
  return { ...base, context: 'x'.repeat(EVENT_BYTES - JSON.stringify(base).length) };
}

const body = Buffer.from(
  JSON.stringify(Array.from({ length: batch }, (_, i) => ({ key: `u${i}`, payload: payloadOf(i) }))),
);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function before(raw: Buffer): number {
  const events = JSON.parse(raw.toString('utf8')) as Array<{ payload: unknown }>;
  let bytes = 0;
  for (const event of events) bytes += Buffer.from(JSON.stringify(event.payload), 'utf8').length;
  return bytes;
}

function after(raw: Buffer): number {
  JSON.parse(strictUtf8.decode(raw));
  let bytes = 0;
  for (const span of payloadSpans(raw)) if (span) bytes += raw.subarray(span.start, span.end).length;
  return bytes;
}

function measure(run: (raw: Buffer) => number): number {
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) run(body);
    perRound.push((performance.now() - started) / iterations);
  }
  return perRound.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

if (before(body) !== after(body)) throw new Error('the two paths disagree on the payload bytes');
for (const run of [before, after]) run(body); // warm-up
const results = { before: measure(before), after: measure(after) };
const mb = body.length / 1e6;
console.log(
  `body: ${batch} events, ${(mb * 1000).toFixed(0)} kB; median of ${rounds} rounds x ${iterations}`,
);
for (const [name, ms] of Object.entries(results))
  console.log(`${name.padEnd(7)} ${ms.toFixed(3)} ms/body  ${(mb / (ms / 1000)).toFixed(0)} MB/s`);
console.log(`after/before: ${(results.after / results.before).toFixed(2)}`);
