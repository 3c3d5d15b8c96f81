/**
 * Gyre's TypeScript Pulsar client against Pulsar's own pulsar-perf (PerformanceProducer and
 * PerformanceConsumer, Java client 4.0.8), same machine, same local broker, same workloads, one after the
 * other in one run:
 *
 * - produce: `count` messages of `size` bytes, batched (10 ms / 1000 messages / 128 KiB), uncompressed, at most
 *   `maxPending` in flight, on a fresh topic; publish latency = send() call to receipt, per message;
 * - consume: a subscription created before producing holds that topic's whole backlog; it is drained from
 *   the moment the consumer is subscribed to the last of the `count` messages (Exclusive, receiver queue
 *   1000, each message acknowledged);
 * - CPU: each side's process CPU seconds (user + system, all threads) over each phase, per million messages:
 *   process.cpuUsage() for this Node process, /proc/<pid>/stat for pulsar-perf's JVM. The broker runs in
 *   its own process and counts for neither, so the ratio holds even when the broker bounds the rates.
 *
 *   npx ts-node bench/pulsar-client.ts [--count 200000] [--sizes 100,1024] [--max-pending 1000] [--ts-only]
 *
 * --ts-only skips pulsar-perf and prints the TypeScript figures alone (for `node --cpu-prof` runs).
 *
 * Targets 127.0.0.1 only: PULSAR_SERVICE_URL / PULSAR_ADMIN_URL, else this checkout's stack (.env ports);
 * bounded by --count and a cap of 10 minutes or 2 ms per message and size, whichever is longer.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '../libs/pulsar/src';
import { LocalStack } from '../tools/stack/stack';
import { uniqueName } from '../tools/testing';
import { PerfEndpoints, perfConsume, perfProduce } from './pulsar-perf';
import { printTable } from './print-table';

const MIN_TIME_CAP_MS = 10 * 60_000;
const SUBSCRIPTION = 'drain';

interface Figures {
  publishSeconds: number;
  consumeSeconds: number;
  publishMs: { p50: number; p99: number };
  publishCpuSeconds: number;
  consumeCpuSeconds: number;
}

/** This process's CPU seconds so far (user + system, every thread). */
function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function percentiles(values: Float64Array): { p50: number; p99: number } {
  const sorted = values.slice().sort();
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** Creates the durable subscription that will hold the backlog the consume phase drains. */
async function createBacklogSubscription(client: Client, topic: string): Promise<void> {
  const consumer = await client.subscribe({ topic, subscription: SUBSCRIPTION });
  await consumer.close(); // the cursor stays and keeps every message published from now on
}

/** The TypeScript client on the workloads pulsar-perf runs. */
async function benchTypeScript(
  serviceUrl: string,
  topic: string,
  count: number,
  size: number,
  maxPending: number,
): Promise<Figures> {
  const client = new Client({ serviceUrl });
  try {
    await createBacklogSubscription(client, topic);
    const producer = await client.createProducer({
      topic,
      batchingMaxPublishDelayMs: 10,
      batchingMaxMessages: 1000,
      batchingMaxAllowedSizeInBytes: 128 * 1024,
      maxPendingMessages: maxPending,
      sendTimeoutMs: 0,
    });
    const payload = Buffer.alloc(size);
    const publishMs = new Float64Array(count);
    let inFlight = 0;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const startCpu = ownCpuSeconds();
    const start = performance.now();
    for (let i = 0; i < count && failure === undefined; i++) {
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
          failure = error;
          wake?.();
        },
      );
    }
    await producer.flush();
    const publishSeconds = (performance.now() - start) / 1000;
    const publishCpuSeconds = ownCpuSeconds() - startCpu;
    if (failure !== undefined) throw failure;
    await producer.close();

    const drain = await client.subscribe({
      topic,
      subscription: SUBSCRIPTION,
      subscriptionInitialPosition: 'Earliest',
      receiverQueueSize: 1000,
    });
    const drainStartCpu = ownCpuSeconds();
    const drainStart = performance.now();
    for (let i = 0; i < count; i++) void drain.acknowledge(await drain.receive(30_000));
    const consumeSeconds = (performance.now() - drainStart) / 1000;
    const consumeCpuSeconds = ownCpuSeconds() - drainStartCpu;
    return {
      publishSeconds,
      consumeSeconds,
      publishMs: percentiles(publishMs),
      publishCpuSeconds,
      consumeCpuSeconds,
    };
  } finally {
    await client.close();
  }
}

/** pulsar-perf on the same workloads, on its own fresh topic. */
async function benchPulsarPerf(
  endpoints: PerfEndpoints,
  topic: string,
  count: number,
  size: number,
  maxPending: number,
): Promise<Figures> {
  const client = new Client({ serviceUrl: endpoints.serviceUrl });
  try {
    await createBacklogSubscription(client, topic);
  } finally {
    await client.close();
  }
  const produced = await perfProduce(endpoints, topic, count, size, maxPending);
  const consumed = await perfConsume(endpoints, topic, SUBSCRIPTION, count);
  return { ...produced, ...consumed };
}

function rows(size: number, count: number, ts: Figures, perf: Figures): string[][] {
  const mb = (seconds: number) => (count * size) / seconds / 1e6;
  const perMillion = (cpuSeconds: number) => (cpuSeconds / count) * 1e6;
  const line = (label: string, t: number, p: number, digits = 0) => [
    `${size} B ${label}`,
    t.toFixed(digits),
    p.toFixed(digits),
    (t / p).toFixed(2),
  ];
  return [
    line('produce msg/s', count / ts.publishSeconds, count / perf.publishSeconds),
    line('produce MB/s', mb(ts.publishSeconds), mb(perf.publishSeconds), 1),
    line('consume msg/s', count / ts.consumeSeconds, count / perf.consumeSeconds),
    line('consume MB/s', mb(ts.consumeSeconds), mb(perf.consumeSeconds), 1),
    line('publish p50 ms', ts.publishMs.p50, perf.publishMs.p50, 1),
    line('publish p99 ms', ts.publishMs.p99, perf.publishMs.p99, 1),
    line('produce CPU s/M msg', perMillion(ts.publishCpuSeconds), perMillion(perf.publishCpuSeconds), 2),
    line('consume CPU s/M msg', perMillion(ts.consumeCpuSeconds), perMillion(perf.consumeCpuSeconds), 2),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '200000' },
      sizes: { type: 'string', default: '100,1024' },
      'max-pending': { type: 'string', default: '1000' },
      'ts-only': { type: 'boolean', default: false },
    },
  });
  const count = Number(values.count);
  const maxPending = Number(values['max-pending']);
  const sizes = values.sizes.split(',').map(Number);
  const stack = new LocalStack().endpoints();
  const serviceUrl = process.env.PULSAR_SERVICE_URL || stack.PULSAR_SERVICE_URL;
  const adminUrl = process.env.PULSAR_ADMIN_URL || stack.PULSAR_ADMIN_URL;
  if (!/^pulsar:\/\/(127\.0\.0\.1|localhost):\d+$/.test(serviceUrl))
    throw new Error(`the benchmark runs against a local broker only, not ${serviceUrl}`);
  const capMs = Math.max(MIN_TIME_CAP_MS, sizes.length * count * 2);
  const cap = setTimeout(() => {
    process.stderr.write(`benchmark exceeded ${capMs / 1000} s; aborting\n`);
    process.exit(2);
  }, capMs);
  const topic = (side: string, size: number) =>
    `persistent://public/default/${uniqueName(`bench-${side}-${size}`)}`;
  const table: string[][] = [];
  try {
    for (const size of sizes) {
      // The TypeScript side gets a short warm-up (JIT, connection); pulsar-perf excludes its first
      // second from its latency figures, and its JVM warms up within the (long enough) run.
      await benchTypeScript(serviceUrl, topic('warmup', size), Math.min(count, 10_000), size, maxPending);
      const ts = await benchTypeScript(serviceUrl, topic('ts', size), count, size, maxPending);
      if (values['ts-only']) {
        process.stdout.write(`${size} B TypeScript: ${JSON.stringify(ts)}\n`);
        continue;
      }
      const perf = await benchPulsarPerf(
        { serviceUrl, adminUrl },
        topic('perf', size),
        count,
        size,
        maxPending,
      );
      const sizeRows = rows(size, count, ts, perf);
      table.push(...sizeRows);
      // Printed as each size completes, so a long run that is stopped still leaves its figures.
      process.stdout.write(`${sizeRows.map((row) => row.join('  ')).join('\n')}\n`);
    }
  } finally {
    clearTimeout(cap);
  }
  process.stdout.write(
    `\n${count} messages per workload, batching 10 ms / 1000 / 128 KiB, max ${maxPending} pending; ` +
      `consume = drain of a ${count}-message backlog from subscribe to last message; ` +
      `CPU s/M msg = the client process's CPU seconds per million messages\n`,
  );
  printTable([['workload', 'TypeScript', 'pulsar-perf', 'TS/perf'], ...table]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
