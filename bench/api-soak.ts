/**
 * The API's memory under a long mixed load, against the running local stack (127.0.0.1 only). It starts the
 * API itself (as bench/api-ingest.ts does), then for --minutes runs, side by side and at bounded rates:
 * single-event POSTs, JSON-array and NDJSON batches (with Idempotency-Keys), HTTP pulls with acks and some
 * nacks, admin reads, and hostile requests (malformed JSON, over-size bodies, deep nesting, invalid UTF-8,
 * wrong media types, unknown keys and streams). Every --sample-s it samples the API's resident memory (from
 * /proc) and V8 heap in use (its /metrics), and at the end prints per-minute figures and the growth after
 * --warmup-minutes: a least-squares slope per minute and the last-minute mean against the first one after
 * warm-up. The reference is the API's own state right after warm-up: a leak shows as steady growth past it.
 * The API runs with --trace-gc, and the soak also reads the heap left after each full (mark-compact)
 * collection: the live data without the collector's sawtooth, the measure a leak cannot hide from.
 *
 *   npx ts-node bench/api-soak.ts [--minutes 10] [--warmup-minutes 2] [--sample-s 5] [--heap-snapshots DIR]
 *
 * With --heap-snapshots, the API writes a heap snapshot into DIR as warm-up ends and again just before the
 * end; `bench/heap-diff.ts` says what grew between them.
 *
 * Bounded by --minutes plus set-up; everything it starts is stopped, and its streams and keys deleted.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import { loadGyreConfig } from '@gyre/config';
import { IngestWorld, payloadOf, startIngestWorld } from './api-ingest-world';
import { printTable } from './print-table';
import { sendRaw as send } from './rest-client';

interface Sample {
  atMs: number;
  rssMb: number;
  heapMb: number;
}

interface Tally {
  requests: number;
  /** Answers other than the one the request kind expects, by "kind status". */
  unexpected: Map<string, number>;
}

const MB = 1024 * 1024;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      'warmup-minutes': { type: 'string', default: '2' },
      'sample-s': { type: 'string', default: '5' },
      'heap-snapshots': { type: 'string' },
    },
  });
  return {
    durationMs: Number(values.minutes) * 60_000,
    warmupMs: Number(values['warmup-minutes']) * 60_000,
    sampleMs: Number(values['sample-s']) * 1000,
    /** A folder for two heap snapshots of the API: at the end of warm-up and at the end (bench/heap-diff.ts). */
    heapSnapshots: values['heap-snapshots'],
  };
}

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}

async function heapMb(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)![1]) / MB;
}

/** The mixed load: each loop runs until `until`, paced so the whole stays bounded. */
function loads(world: IngestWorld, until: number, tally: Tally): Promise<void>[] {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  // The API closes the connection after refusing an over-size body: hostile requests get their own.
  const hostileAgent = new Agent({ keepAlive: false });
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const json = (key: string) => ({ ...auth(key), 'content-type': 'application/json' });
  let sequence = 0;
  const check = async (
    kind: string,
    expected: number[],
    pending: Promise<{ status: number; text: string }>,
  ) => {
    const { status, text } = await pending;
    tally.requests += 1;
    if (!expected.includes(status)) {
      const label = `${kind} ${status}`;
      tally.unexpected.set(label, (tally.unexpected.get(label) ?? 0) + 1);
    }
    return text;
  };
  const loop = async (pauseMs: number, step: () => Promise<void>) => {
    while (Date.now() < until) {
      await step();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const events = `/v1/streams/${world.batched}/events`;
  const single = `/v1/streams/${world.single}/events`;
  const subscription = `/v1/streams/${world.batched}/subscriptions/soak`;
  const batchOf = (n: number) => Array.from({ length: n }, () => ({ payload: payloadOf(sequence++) }));
  const hostile: Array<[string, Record<string, string>, Buffer, number[]]> = [
    ['malformed JSON', json(world.producerKey), Buffer.from('[{"payload": {"user": "u1",'), [400]],
    ['over-size body', json(world.producerKey), Buffer.alloc(17 * MB, 0x20), [413, 0]],
    [
      'deep nesting',
      json(world.producerKey),
      Buffer.from(`{"payload":${'['.repeat(5000)}${']'.repeat(5000)}}`),
      [422],
    ],
    ['invalid UTF-8', json(world.producerKey), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), [400]],
    [
      'wrong media type',
      { ...auth(world.producerKey), 'content-type': 'text/csv' },
      Buffer.from('a,b'),
      [415],
    ],
    ['unknown key', json('gyre_nope'), Buffer.from('{"payload":{}}'), [401]],
  ];
  return [
    // Single events: 4 loops of one POST every 20 ms (up to about 200 requests/s).
    ...Array.from({ length: 4 }, () =>
      loop(20, async () => {
        const body = Buffer.from(JSON.stringify({ payload: payloadOf(sequence++) }));
        await check('single', [202], send(agent, world.port, 'POST', single, json(world.producerKey), body));
      }),
    ),
    // Batches: 200 events as a JSON array, then as NDJSON, each with its own Idempotency-Key.
    loop(250, async () => {
      const array = Buffer.from(JSON.stringify(batchOf(200)));
      const headers = { ...json(world.producerKey), 'idempotency-key': `soak-${sequence}` };
      await check('array', [202], send(agent, world.port, 'POST', events, headers, array));
      const ndjson = Buffer.from(
        batchOf(200)
          .map((event) => JSON.stringify(event))
          .join('\n'),
      );
      const ndHeaders = { ...auth(world.producerKey), 'content-type': 'application/x-ndjson' };
      await check('ndjson', [202], send(agent, world.port, 'POST', events, ndHeaders, ndjson));
    }),
    // Two pullers: up to 100 leases each, about one in ten nacked (they come back), the rest acked.
    ...Array.from({ length: 2 }, () =>
      loop(10, async () => {
        const answer = await check(
          'pull',
          [200],
          send(
            agent,
            world.port,
            'POST',
            `${subscription}/messages:pull`,
            json(world.consumerKey),
            Buffer.from('{"max":100,"waitMs":200}'),
          ),
        );
        // A refused pull (counted above) has a problem body, or none when the connection broke.
        const pulled = (answer.startsWith('{') ? JSON.parse(answer) : {}) as {
          messages?: { leaseToken: string }[];
        };
        const tokens = (pulled.messages ?? []).map((message) => message.leaseToken);
        if (tokens.length === 0) return;
        const cut = Math.floor(tokens.length / 10);
        for (const [verb, leaseTokens] of [
          ['nack', tokens.slice(0, cut)],
          ['ack', tokens.slice(cut)],
        ] as const) {
          if (leaseTokens.length === 0) continue;
          const body = Buffer.from(JSON.stringify({ leaseTokens }));
          await check(
            verb,
            [200],
            send(
              agent,
              world.port,
              'POST',
              `${subscription}/messages:${verb}`,
              json(world.consumerKey),
              body,
            ),
          );
        }
      }),
    ),
    // Admin reads: the stream list, a stream, its subscriptions, the health page.
    loop(500, async () => {
      await check('admin', [200], send(agent, world.port, 'GET', '/admin/streams', auth(world.adminKey)));
      await check(
        'admin',
        [200],
        send(agent, world.port, 'GET', `/admin/streams/${world.batched}`, auth(world.adminKey)),
      );
      await check(
        'admin',
        [200],
        send(agent, world.port, 'GET', `/admin/streams/${world.batched}/subscriptions`, auth(world.adminKey)),
      );
      await check('health', [200], send(agent, world.port, 'GET', '/health', {}));
    }),
    // Hostile requests, one of each kind every 2 s, and one for a stream that does not exist.
    loop(2000, async () => {
      for (const [kind, headers, body, expected] of hostile)
        await check(kind, expected, send(hostileAgent, world.port, 'POST', events, headers, body));
      const missing = Buffer.from('{"payload":{}}');
      await check(
        'unknown stream',
        [403, 404],
        send(agent, world.port, 'POST', '/v1/streams/soak-missing/events', json(world.producerKey), missing),
      );
    }),
  ].map((running) =>
    running.finally(() => {
      agent.destroy();
      hostileAgent.destroy();
    }),
  );
}

/**
 * From V8's --trace-gc lines, the heap in use right after each mark-compact, at the API's time of it (ms
 * since its process started).
 */
function liveHeapAfterFullGc(stdout: string): { atMs: number; mb: number }[] {
  const points: { atMs: number; mb: number }[] = [];
  for (const match of stdout.matchAll(/\s(\d+) ms: Mark-Compact[^\n]*? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g))
    points.push({ atMs: Number(match[1]), mb: Number(match[2]) });
  return points;
}

/** Asks the API (--heapsnapshot-signal) for a heap snapshot and waits until V8 has finished writing it. */
async function heapSnapshot(pid: number, folder: string): Promise<void> {
  const before = new Set(readdirSync(folder));
  process.kill(pid, 'SIGUSR2');
  let file: string | undefined;
  let size = -1;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    file ??= readdirSync(folder).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
    if (!file) continue;
    // V8 creates the file at once and fills it as it goes: done once it has bytes and stops growing.
    const now = statSync(join(folder, file)).size;
    if (now > 0 && now === size) break;
    size = now;
  }
  console.log(`heap snapshot written: ${join(folder, file)} (${(size / MB).toFixed(0)} MB)`);
}

/** Least-squares slope of `value` over minutes. */
function slopePerMinute(samples: Sample[], value: (sample: Sample) => number): number {
  const xs = samples.map((sample) => sample.atMs / 60_000);
  const ys = samples.map(value);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const num = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const config = loadGyreConfig();
  // Full collections only: a scavenge's line per few milliseconds would be most of the API's output.
  const spawnedAt = Date.now();
  const snapshotArgs = options.heapSnapshots
    ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${resolve(options.heapSnapshots)}`]
    : [];
  if (options.heapSnapshots) mkdirSync(options.heapSnapshots, { recursive: true });
  const world = await startIngestWorld(config, 2, [
    '--trace-gc',
    '--trace-gc-ignore-scavenger',
    ...snapshotArgs,
  ]);
  const tally: Tally = { requests: 0, unexpected: new Map() };
  const samples: Sample[] = [];
  const started = Date.now();
  try {
    // A failed load loop ends the soak at once (and still stops the API below), not after the sampling.
    let failed: unknown;
    const running = Promise.all(loads(world, started + options.durationMs, tally)).catch((error: unknown) => {
      failed = error;
    });
    let snapshots = 0;
    while (Date.now() < started + options.durationMs && failed === undefined) {
      const elapsed = Date.now() - started;
      // One snapshot as warm-up ends, one a sample before the end: the load runs on while V8 writes them.
      if (
        options.heapSnapshots &&
        ((snapshots === 0 && elapsed >= options.warmupMs) ||
          (snapshots === 1 && elapsed >= options.durationMs - 2 * options.sampleMs))
      ) {
        snapshots += 1;
        await heapSnapshot(world.apiPid, options.heapSnapshots);
      }
      samples.push({
        atMs: Date.now() - started,
        rssMb: residentMb(world.apiPid),
        heapMb: await heapMb(world.port),
      });
      await new Promise((resolve) => setTimeout(resolve, options.sampleMs));
    }
    await running;
    if (failed !== undefined) throw failed;
  } finally {
    await world.stop();
  }

  const minutes = Math.ceil(options.durationMs / 60_000);
  const rows = Array.from({ length: minutes }, (_, minute) => {
    const inMinute = samples.filter((s) => Math.floor(s.atMs / 60_000) === minute);
    const mean = (value: (s: Sample) => number) =>
      inMinute.reduce((sum, s) => sum + value(s), 0) / inMinute.length;
    return [
      String(minute + 1),
      mean((s) => s.rssMb).toFixed(0),
      Math.max(...inMinute.map((s) => s.rssMb)).toFixed(0),
      mean((s) => s.heapMb).toFixed(0),
    ];
  });
  printTable([['minute', 'RSS mean MB', 'RSS max MB', 'heap used mean MB'], ...rows]);
  const settled = samples.filter((sample) => sample.atMs >= options.warmupMs);
  const first = settled.filter((s) => s.atMs < options.warmupMs + 60_000);
  const last = settled.filter((s) => s.atMs >= options.durationMs - 60_000);
  const mean = (list: Sample[], value: (s: Sample) => number) =>
    list.reduce((sum, s) => sum + value(s), 0) / list.length;
  console.log(
    `\nafter warm-up (${options.warmupMs / 60_000} min): RSS ${slopePerMinute(settled, (s) => s.rssMb).toFixed(2)} MB/min ` +
      `(first minute ${mean(first, (s) => s.rssMb).toFixed(0)} MB, last ${mean(last, (s) => s.rssMb).toFixed(0)} MB); ` +
      `heap ${slopePerMinute(settled, (s) => s.heapMb).toFixed(2)} MB/min ` +
      `(first minute ${mean(first, (s) => s.heapMb).toFixed(0)} MB, last ${mean(last, (s) => s.heapMb).toFixed(0)} MB)`,
  );
  // The API's clock starts at its spawn, the soak's once it answered: put its collections on the soak's.
  const live = liveHeapAfterFullGc(world.apiStdout()).map((p) => ({
    ...p,
    atMs: p.atMs - (started - spawnedAt),
  }));
  const liveSettled = live.filter((point) => point.atMs >= options.warmupMs);
  const liveMean = (list: typeof live) => list.reduce((sum, p) => sum + p.mb, 0) / list.length;
  const liveFirst = liveSettled.filter((p) => p.atMs < options.warmupMs + 5 * 60_000);
  const liveLast = liveSettled.filter((p) => p.atMs >= options.durationMs - 5 * 60_000);
  console.log(
    `live heap after each full GC (${live.length} collections, ${liveSettled.length} after warm-up): ` +
      `${slopePerMinute(
        liveSettled.map((p) => ({ atMs: p.atMs, rssMb: 0, heapMb: p.mb })),
        (s) => s.heapMb,
      ).toFixed(3)} MB/min; mean of the first 5 min after warm-up ${liveMean(liveFirst).toFixed(1)} MB, ` +
      `of the last 5 min ${liveMean(liveLast).toFixed(1)} MB; ` +
      `min/max after warm-up ${Math.min(...liveSettled.map((p) => p.mb)).toFixed(1)}/${Math.max(...liveSettled.map((p) => p.mb)).toFixed(1)} MB`,
  );
  console.log(
    `${tally.requests} requests; unexpected answers: ${tally.unexpected.size === 0 ? 'none' : JSON.stringify(Object.fromEntries(tally.unexpected))}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
