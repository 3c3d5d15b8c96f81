/**
 * What a log line and a metric observation cost on the request path, per call, in one process (no stack
 * needed): JsonLogger (pino) writing a typical line to a sink that drops it, a call below LOG_LEVEL,
 * and prom-client observing the API's request histogram and counter (three labels).
 *
 *   npx ts-node bench/observability-cost.ts [--calls 200000] [--rounds 7]
 *
 * Prints the median of --rounds rounds, in nanoseconds per call, after one warm-up round.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { JsonLogger } from '@gyre/logging';
import { MetricsRegistry } from '@gyre/metrics';

const { values } = parseArgs({
  options: { calls: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '7' } },
});
const calls = Number(values.calls);
const rounds = Number(values.rounds);

const logger = new JsonLogger({ level: 'info', sink: { write: () => true } });
const registry = new MetricsRegistry();
const labelNames = ['method', 'route', 'status'] as const;
const histogram = registry.histogram({ name: 'bench_duration_seconds', help: 'Bench.', labelNames });
const counter = registry.counter({ name: 'bench_requests_total', help: 'Bench.', labelNames });
const labels = { method: 'POST', route: '/v1/streams/:stream/events', status: '202' };

const cases: Record<string, (i: number) => void> = {
  'log line written (info, 3 fields)': (i) =>
    logger.log({ msg: 'event published', stream: 'orders', partition: i & 3, durationMs: 1.5 }, 'Ingest'),
  'log call below LOG_LEVEL (debug)': (i) => logger.debug({ msg: 'event published', partition: i & 3 }),
  'histogram observe (3 labels)': (i) => histogram.observe(labels, (i % 100) / 1000),
  'counter inc (3 labels)': () => counter.inc(labels),
};

function nsPerCall(run: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < calls; i++) run(i);
  return ((performance.now() - started) * 1e6) / calls;
}

for (const [name, run] of Object.entries(cases)) {
  nsPerCall(run); // warm-up: let V8 optimise before measuring
  const samples = Array.from({ length: rounds }, () => nsPerCall(run)).sort((a, b) => a - b);
  console.log(`${name.padEnd(36)} ${samples[Math.floor(rounds / 2)].toFixed(0).padStart(6)} ns/call`);
}
