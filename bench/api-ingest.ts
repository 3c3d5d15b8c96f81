/**
 * Gyre's REST API against direct publishing and native consumption with @gyre/pulsar, in one run against
 * the running local stack (127.0.0.1 only). It starts the API itself (apps/api/src/main.ts as a child
 * process on a free port, rate limit off, LOG_LEVEL=warn), creates two streams and three API keys, and
 * measures:
 *
 * (a) single-event POST /v1/streams/{s}/events at increasing concurrency (keep-alive connections of a load
 *     generator in its own process, bench/http-load.ts): requests/s, p50/p99 latency;
 * (b) batch ingestion of 1-KiB events as JSON arrays of --batch events, --batch-concurrency requests in
 *     flight: events/s, MB/s;
 * (c) the same events published directly with @gyre/pulsar (a producer with the API's producer settings,
 *     the same number of events in flight), as the reference: ratio API/direct;
 * (d) the backlog of (b)+(c) drained over HTTP (messages:pull of 100, then messages:ack) and by a native
 *     Shared consumer acknowledging each message: ratio HTTP/native.
 *
 *   npx ts-node bench/api-ingest.ts [--concurrency 1,8,32,128] [--duration-s 10] [--events 50000]
 *     [--batch 500] [--batch-concurrency 4] [--pull-workers 1,4] [--partitions 4]
 *     [--phases single,batch,consume] [--cpu-prof DIR] [--api-root DIR] [--built]
 *
 * The API's own CPU time per request (single) and per event (batch) comes from its process's /proc CPU
 * counters around the measured load: a figure that holds on a noisy machine better than req/s does.
 * --api-root DIR runs the API of another checkout (e.g. an older commit) against the same stack and load.
 * --built runs the built API (`npx nest build api` first; node dist/apps/api/src/main.js, as the Dockerfile
 * does) instead of ts-node's: no compile hooks and no node:domain (which ts-node loads).
 * --cpu-prof runs the API under `node --cpu-prof` and prints where its CPU time went (self time by layer,
 * package and function; bench/cpu-profile.ts) during the single-event load, the batch ingestion and each
 * HTTP drain (e.g. --phases single --concurrency 32 for the single-event path alone).
 *
 * Bounded by --events, --duration-s and a 10-minute cap; everything it starts is stopped, and its streams
 * and keys deleted, even on failure.
 */
import { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GyreConfig, loadGyreConfig } from '@gyre/config';
import { Client } from '@gyre/pulsar';
import { checkFailures, runLoad } from './api-ingest-load';
import { drainHttp, drainStream, PULL_MAX } from './api-ingest-http-drain';
import { createSubscriptions, drainNative, publishDirect } from './api-ingest-reference';
import { EVENT_BYTES, IngestWorld, payloadOf, startIngestWorld } from './api-ingest-world';
import { printSummary, summarizeProfile } from './cpu-profile';
import type { LoadPlan } from './http-load';
import { printTable } from './print-table';

/** Stream credits per worker: as many leases in flight as a pull of PULL_MAX plus its ack. */
const STREAM_CREDITS = 2 * PULL_MAX;
const TIME_CAP_MS = 10 * 60_000;
const LOCAL = /^(127\.0\.0\.1|localhost)$/;

interface Options {
  levels: number[];
  durationMs: number;
  batchSize: number;
  batchCount: number;
  batchConcurrency: number;
  pullWorkers: number[];
  partitions: number;
  phases: Set<string>;
  profileDir?: string;
  /** Another checkout whose API to run (a before/after comparison on one stack and one load generator). */
  apiRoot?: string;
  built: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '1,8,32,128' },
      'duration-s': { type: 'string', default: '10' },
      events: { type: 'string', default: '50000' },
      batch: { type: 'string', default: '500' },
      'batch-concurrency': { type: 'string', default: '4' },
      'pull-workers': { type: 'string', default: '1,4' },
      partitions: { type: 'string', default: '4' },
      phases: { type: 'string', default: 'single,batch,consume' },
      'cpu-prof': { type: 'string' },
      'api-root': { type: 'string' },
      built: { type: 'boolean', default: false },
    },
  });
  const batchSize = Number(values.batch);
  const phases = new Set(values.phases.split(','));
  if (phases.has('consume')) phases.add('batch'); // the backlog comes from (b) and (c)
  return {
    levels: values.concurrency.split(',').map(Number),
    durationMs: Number(values['duration-s']) * 1000,
    batchSize,
    batchCount: Math.ceil(Number(values.events) / batchSize),
    batchConcurrency: Number(values['batch-concurrency']),
    pullWorkers: values['pull-workers'].split(',').map(Number),
    partitions: Number(values.partitions),
    phases,
    profileDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
    apiRoot: values['api-root'] ? resolve(values['api-root']) : undefined,
    built: values.built,
  };
}

/** What the phases add to: the table's rows, its notes, and the windows of the CPU profile to summarize. */
interface Report {
  table: string[][];
  notes: string[];
  profileWindows: Array<{ label: string; from: number; to: number }>;
}

const micros = () => Number(process.hrtime.bigint() / 1000n);

/** (a) Single-event POSTs at each concurrency level. */
async function singleEvents(
  world: IngestWorld,
  options: Options,
  children: Set<ChildProcess>,
  report: Report,
) {
  const plan = (step: LoadPlan['steps'][number]): LoadPlan => ({
    port: world.port,
    path: `/v1/streams/${world.single}/events`,
    headers: { authorization: `Bearer ${world.producerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ payload: payloadOf(1) }),
    expectStatus: 202,
    steps: [step],
  });
  const from = micros();
  for (const connections of options.levels) {
    // A warm-up run apart, so the API's CPU time is sampled around the measured requests only.
    await runLoad(plan({ connections, durationMs: 2000 }), children);
    const idleCpuPerSecond = await idleCpuRate(world);
    const cpuBefore = world.apiCpuSeconds();
    const [result] = await runLoad(plan({ connections, durationMs: options.durationMs }), children);
    const cpuSeconds = world.apiCpuSeconds() - cpuBefore;
    checkFailures(`single events at ${connections}`, result);
    // What the API spends anyway (timers, keep-alives, the client's pings) is not the requests' cost.
    const busySeconds = cpuSeconds - idleCpuPerSecond * result.seconds;
    report.table.push(
      [`(a) single POST, ${connections} conn: req/s`, (result.requests / result.seconds).toFixed(0), '', ''],
      [`(a) single POST, ${connections} conn: p50 ms`, result.latencyMs.p50.toFixed(1), '', ''],
      [`(a) single POST, ${connections} conn: p99 ms`, result.latencyMs.p99.toFixed(1), '', ''],
      [`(a) single POST, ${connections} conn: API CPU us/req`, perOne(cpuSeconds, result.requests), '', ''],
      [
        `(a) single POST, ${connections} conn: API CPU us/req, idle CPU taken off`,
        perOne(busySeconds, result.requests),
        '',
        '',
      ],
    );
    report.notes.push(
      `(a) ${connections} conn: the idle API used ${(idleCpuPerSecond * 1000).toFixed(1)} ms of CPU per second (sampled over ${IDLE_SAMPLE_MS / 1000} s before the load)`,
    );
  }
  report.profileWindows.push({ label: 'single-event load', from, to: micros() });
}

const IDLE_SAMPLE_MS = 3000;

/** The API process's CPU seconds per second with no request in flight. */
async function idleCpuRate(world: IngestWorld): Promise<number> {
  const before = world.apiCpuSeconds();
  const from = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
  return (world.apiCpuSeconds() - before) / ((performance.now() - from) / 1000);
}

/** Microseconds of CPU per request or event, from the API process's CPU seconds over a measured window. */
function perOne(cpuSeconds: number, count: number): string {
  return ((cpuSeconds * 1e6) / count).toFixed(0);
}

/** (b) batches through the API, (c) the same events published directly; (d) the backlog drained both ways. */
async function batchesAndDrains(
  world: IngestWorld,
  client: Client,
  config: GyreConfig,
  options: Options,
  children: Set<ChildProcess>,
  report: Report,
) {
  const { batchSize, batchCount, batchConcurrency, pullWorkers, phases } = options;
  const topic = `persistent://${config.pulsar.tenant}/${config.pulsar.namespace}/${world.batched}`;
  const subscriptions = [
    'native',
    ...pullWorkers.flatMap((w) => [`http-${w}w`, `overlap-${w}w`, `stream-${w}w`]),
  ];
  if (phases.has('consume')) await createSubscriptions(client, topic, subscriptions);
  // Batch 0 is the warm-up of each side; both sides publish the same events.
  const batches = Array.from({ length: batchCount + 1 }, (_, b) =>
    Array.from({ length: batchSize }, (_, i) => payloadOf(b * batchSize + i)),
  );
  const apiBody = JSON.stringify(batches[0].map((payload) => ({ payload })));
  // One body for every request: the API does not care that the events repeat (no ids, no key).
  const batchFrom = micros();
  const batchCpuBefore = world.apiCpuSeconds();
  const [warmup, measured] = await runLoad(
    {
      port: world.port,
      path: `/v1/streams/${world.batched}/events`,
      headers: { authorization: `Bearer ${world.producerKey}`, 'content-type': 'application/json' },
      body: apiBody,
      expectStatus: 202,
      steps: [
        { connections: 1, requests: 1 },
        { connections: batchConcurrency, requests: batchCount },
      ],
    },
    children,
  );
  report.profileWindows.push({ label: 'batch ingestion (warm-up included)', from: batchFrom, to: micros() });
  checkFailures('batch warm-up', warmup);
  checkFailures('batches', measured);
  // Over the warm-up batch too: the CPU sample brackets both steps.
  const batchCpuSeconds = world.apiCpuSeconds() - batchCpuBefore;
  const events = batchCount * batchSize;
  const apiSeconds = measured.seconds;
  const directSeconds = await publishDirect(
    client,
    config,
    topic,
    batches.map((batch) => batch.map((payload) => Buffer.from(JSON.stringify(payload)))),
    batchConcurrency,
  );
  const mb = (seconds: number) => (events * EVENT_BYTES) / seconds / 1e6;
  report.table.push(
    [
      '(b/c) batch events/s',
      (events / apiSeconds).toFixed(0),
      (events / directSeconds).toFixed(0),
      (directSeconds / apiSeconds).toFixed(2),
    ],
    [
      '(b/c) batch MB/s',
      mb(apiSeconds).toFixed(1),
      mb(directSeconds).toFixed(1),
      (directSeconds / apiSeconds).toFixed(2),
    ],
    ['(b) batch: API CPU us/event', perOne(batchCpuSeconds, events + batchSize), '', ''],
    [
      `(b) batch request p50 / p99 ms`,
      `${measured.latencyMs.p50.toFixed(0)} / ${measured.latencyMs.p99.toFixed(0)}`,
      '',
      '',
    ],
  );
  report.notes.push(
    `(b)/(c): ${events} events of ${EVENT_BYTES} B in JSON arrays of ${batchSize}, ${batchConcurrency} requests (or groups of sends) in flight; reference = @gyre/pulsar producer with the API's settings`,
  );
  if (!phases.has('consume')) return;

  const backlog = 2 * (batchCount + 1) * batchSize;
  const nativeSeconds = await drainNative(client, topic, 'native', backlog);
  for (const workers of pullWorkers) {
    const from = micros();
    const pullCpuBefore = world.apiCpuSeconds();
    const httpSeconds = await drainHttp(
      world.rest,
      world.consumerKey,
      world.batched,
      `http-${workers}w`,
      backlog,
      workers,
    );
    report.profileWindows.push({ label: `HTTP pull with ${workers} worker(s)`, from, to: micros() });
    const pullCpu = world.apiCpuSeconds() - pullCpuBefore;
    const overlapSeconds = await drainHttp(
      world.rest,
      world.consumerKey,
      world.batched,
      `overlap-${workers}w`,
      backlog,
      workers,
      true,
    );
    const streamFrom = micros();
    const streamCpuBefore = world.apiCpuSeconds();
    const streamSeconds = await drainStream(
      world.port,
      world.rest,
      world.consumerKey,
      world.batched,
      `stream-${workers}w`,
      backlog,
      workers,
      STREAM_CREDITS,
    );
    report.profileWindows.push({
      label: `HTTP stream with ${workers} worker(s)`,
      from: streamFrom,
      to: micros(),
    });
    const streamCpu = world.apiCpuSeconds() - streamCpuBefore;
    const plural = workers > 1 ? 's' : '';
    report.table.push(
      [
        `(d) consume msg/s, HTTP pull ${workers} worker${plural}`,
        (backlog / httpSeconds).toFixed(0),
        (backlog / nativeSeconds).toFixed(0),
        (nativeSeconds / httpSeconds).toFixed(2),
      ],
      [
        `(d) consume msg/s, HTTP pull ${workers}w, ack overlapped`,
        (backlog / overlapSeconds).toFixed(0),
        (backlog / nativeSeconds).toFixed(0),
        (nativeSeconds / overlapSeconds).toFixed(2),
      ],
      [
        `(d) consume msg/s, HTTP stream ${workers} worker${plural}`,
        (backlog / streamSeconds).toFixed(0),
        (backlog / nativeSeconds).toFixed(0),
        (nativeSeconds / streamSeconds).toFixed(2),
      ],
      [
        `(d) API CPU us/msg, pull / stream ${workers}w`,
        perOne(pullCpu, backlog),
        perOne(streamCpu, backlog),
        '',
      ],
    );
  }
  report.notes.push(
    `(d): a backlog of ${backlog} events; HTTP pull = loops of pull (max ${PULL_MAX}) then ack; ack overlapped = the next pull sent while the previous ack commits; HTTP stream = messages:stream (credits ${STREAM_CREDITS}) with an ack per chunk received; reference = one native Shared consumer acknowledging each message`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions();
  const config = loadGyreConfig();
  const hosts = [config.pulsar.serviceUrl, config.pulsar.adminUrl, config.database.url].map(
    (url) => new URL(url).hostname,
  );
  if (!hosts.every((host) => LOCAL.test(host)))
    throw new Error(`the benchmark runs against a local stack only, not ${hosts.join(', ')}`);

  const children = new Set<ChildProcess>();
  let world: IngestWorld | undefined;
  let client: Client | undefined;
  const cap = setTimeout(() => {
    process.stderr.write(`benchmark exceeded ${TIME_CAP_MS / 1000} s; aborting\n`);
    for (const child of children) child.kill('SIGKILL');
    world?.kill();
    process.exit(2);
  }, TIME_CAP_MS);
  const report: Report = {
    table: [['workload', 'Gyre API', 'reference', 'API/ref']],
    notes: [],
    profileWindows: [],
  };
  const { profileDir } = options;

  try {
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    world = await startIngestWorld(
      config,
      options.partitions,
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      options.apiRoot,
      options.built,
    );
    client = new Client({ serviceUrl: config.pulsar.serviceUrl });
    if (options.phases.has('single')) await singleEvents(world, options, children, report);
    if (options.phases.has('batch')) await batchesAndDrains(world, client, config, options, children, report);
  } finally {
    clearTimeout(cap);
    for (const child of children) child.kill('SIGKILL');
    await client?.close().catch(() => undefined);
    await world?.stop();
  }

  process.stdout.write('\n');
  printTable(report.table);
  for (const note of report.notes) process.stdout.write(`${note}\n`);
  const profiles = profileDir ? readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile')) : [];
  const latest = profiles.sort()[profiles.length - 1];
  if (profileDir && latest)
    for (const { label, from, to } of report.profileWindows) {
      process.stdout.write(`\n${resolve(profileDir, latest)}, during the ${label}:\n`);
      printSummary(summarizeProfile(resolve(profileDir, latest), from, to));
    }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
