/**
 * Gyre's TypeScript Pulsar client against the official Java client, same machine, same local broker, same
 * workload: publish `count` messages of `size` bytes (batched: 10 ms / 1000 messages, no compression, at
 * most `maxPending` in flight) while a live subscription measures end-to-end latency, then drain a second,
 * backlogged subscription. Prints each pair and the ratio TS/Java.
 *
 *   npx ts-node bench/pulsar-client.ts [--count 50000] [--sizes 100,1024] [--max-pending 1000]
 *
 * Targets 127.0.0.1 only (PULSAR_SERVICE_URL must point there); bounded by --count and a 5-minute cap.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '../libs/pulsar/src';
import { BenchRequest, BenchResult, JavaPeer } from '../libs/pulsar/test/interop/java-peer';
import { testEndpoints, uniqueName } from '../tools/testing';

const TIME_CAP_MS = 5 * 60_000;

function percentiles(values: number[]): { p50: number; p99: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** The TypeScript client on the workload JavaPeer.bench runs on the Java client. */
async function benchTypeScript(serviceUrl: string, request: BenchRequest): Promise<BenchResult> {
  const client = new Client({ serviceUrl });
  try {
    const { topic, count, size, maxPending } = request;
    const live = await client.subscribe({ topic, subscription: 'live' });
    const backlog = await client.subscribe({ topic, subscription: 'backlog' });
    await backlog.close(); // the cursor stays and keeps the backlog; it is drained after publishing
    const producer = await client.createProducer({
      topic,
      batchingMaxPublishDelayMs: 10,
      batchingMaxMessages: 1000,
      maxPendingMessages: maxPending,
      sendTimeoutMs: 0,
    });
    const payload = Buffer.alloc(size);
    const endToEndMs: number[] = [];
    const received = (async () => {
      while (endToEndMs.length < count) {
        const message = await live.receive();
        endToEndMs.push(Date.now() - message.getPublishTimestamp());
        void live.acknowledge(message);
      }
    })();
    const publishMs = new Array<number>(count);
    let inFlight = 0;
    let wake: (() => void) | undefined;
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      if (inFlight >= maxPending) await new Promise<void>((resolve) => (wake = resolve));
      inFlight++;
      const sentAt = performance.now();
      producer.send({ data: payload }).then(
        () => {
          publishMs[i] = performance.now() - sentAt;
          inFlight--;
          wake?.();
          wake = undefined;
        },
        (error: unknown) => {
          throw error;
        },
      );
    }
    await producer.flush();
    const publishSeconds = (performance.now() - start) / 1000;
    await received;
    const drainStart = performance.now();
    const drain = await client.subscribe({ topic, subscription: 'backlog' });
    for (let i = 0; i < count; i++) void drain.acknowledge(await drain.receive(30_000));
    const consumeSeconds = (performance.now() - drainStart) / 1000;
    return {
      publishSeconds,
      consumeSeconds,
      publishMs: percentiles(publishMs),
      endToEndMs: percentiles(endToEndMs),
    };
  } finally {
    await client.close();
  }
}

function rows(size: number, count: number, ts: BenchResult, java: BenchResult): string[][] {
  const mb = (seconds: number) => (count * size) / seconds / 1e6;
  const line = (label: string, t: number, j: number, digits = 0) => [
    `${size} B ${label}`,
    t.toFixed(digits),
    j.toFixed(digits),
    (t / j).toFixed(2),
  ];
  return [
    line('publish msg/s', count / ts.publishSeconds, count / java.publishSeconds),
    line('publish MB/s', mb(ts.publishSeconds), mb(java.publishSeconds), 1),
    line('consume msg/s', count / ts.consumeSeconds, count / java.consumeSeconds),
    line('consume MB/s', mb(ts.consumeSeconds), mb(java.consumeSeconds), 1),
    line('publish p50 ms', ts.publishMs.p50, java.publishMs.p50, 1),
    line('publish p99 ms', ts.publishMs.p99, java.publishMs.p99, 1),
    line('end-to-end p50 ms', ts.endToEndMs.p50, java.endToEndMs.p50, 1),
    line('end-to-end p99 ms', ts.endToEndMs.p99, java.endToEndMs.p99, 1),
  ];
}

function print(table: string[][]): void {
  const all = [['workload', 'TypeScript', 'Java', 'TS/Java'], ...table];
  const widths = all[0].map((_, column) => Math.max(...all.map((row) => row[column].length)));
  for (const row of all) {
    process.stdout.write(
      `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '50000' },
      sizes: { type: 'string', default: '100,1024' },
      'max-pending': { type: 'string', default: '1000' },
    },
  });
  const count = Number(values.count);
  const maxPending = Number(values['max-pending']);
  const sizes = values.sizes.split(',').map(Number);
  const serviceUrl = testEndpoints().pulsarServiceUrl;
  if (!/^pulsar:\/\/(127\.0\.0\.1|localhost):\d+$/.test(serviceUrl))
    throw new Error(`the benchmark runs against a local broker only, not ${serviceUrl}`);
  const cap = setTimeout(() => {
    process.stderr.write(`benchmark exceeded ${TIME_CAP_MS / 1000} s; aborting\n`);
    process.exit(2);
  }, TIME_CAP_MS);
  const java = await JavaPeer.start(serviceUrl);
  const table: string[][] = [];
  try {
    for (const size of sizes) {
      const request = (client: string) => ({
        topic: `persistent://public/default/${uniqueName(`bench-${client}-${size}`)}`,
        count,
        size,
        maxPending,
      });
      // A short warm-up for each (JIT, connections), then the measured run.
      await java.bench({ ...request('java'), count: Math.min(count, 5000) });
      await benchTypeScript(serviceUrl, { ...request('ts'), count: Math.min(count, 5000) });
      const javaResult = await java.bench(request('java'));
      const tsResult = await benchTypeScript(serviceUrl, request('ts'));
      table.push(...rows(size, count, tsResult, javaResult));
    }
  } finally {
    await java.stop();
    clearTimeout(cap);
  }
  process.stdout.write(
    `\n${count} messages per workload, batching 10 ms / 1000, max ${maxPending} pending\n`,
  );
  print(table);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
