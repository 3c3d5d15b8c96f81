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
 *     [--phases single,batch,consume] [--cpu-prof DIR]
 *
 * --cpu-prof runs the API under `node --cpu-prof` and prints where its CPU time went (self time by layer,
 * package and function; bench/cpu-profile.ts) during the single-event load, the batch ingestion and each
 * HTTP drain (e.g. --phases single --concurrency 32 for the single-event path alone).
 *
 * Bounded by --events, --duration-s and a 10-minute cap; everything it starts is stopped, and its streams
 * and keys deleted, even on failure.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ApiKeyService } from '@gyre/auth';
import { GyreConfig, loadGyreConfig } from '@gyre/config';
import { createGyreDataSource } from '@gyre/database';
import { Client } from '@gyre/pulsar';
import { DataSource } from 'typeorm';
import { AppProcess, freePort, startApp, uniqueName, waitFor } from '../tools/testing';
import { printSummary, summarizeProfile } from './cpu-profile';
import type { LoadPlan, StepResult } from './http-load';

const TIME_CAP_MS = 10 * 60_000;
const EVENT_BYTES = 1024;
const PULL_MAX = 100;
const LOCAL = /^(127\.0\.0\.1|localhost)$/;

const SCHEMA = {
  type: 'object',
  required: ['user', 'item', 'score', 'context'],
  properties: {
    user: { type: 'string' },
    item: { type: 'string' },
    score: { type: 'number' },
    context: { type: 'string' },
  },
};

/** A payload whose JSON text is exactly EVENT_BYTES bytes. */
function payloadOf(i: number): Record<string, unknown> {
  const base = { user: `u${i % 1000}`, item: `i${i % 5000}`, score: 0.5, context: '' };
  return { ...base, context: 'x'.repeat(EVENT_BYTES - JSON.stringify(base).length) };
}

/** The fields of the API's answers the benchmark reads. */
interface Answer {
  id?: string;
  secret?: string;
  messages?: Array<{ leaseToken: string }>;
}

interface Rest {
  call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; json: Answer }>;
  close(): void;
}

function restClient(port: number): Rest {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  return {
    call: (method, path, key, body) =>
      new Promise((done, fail) => {
        const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: {
              authorization: `Bearer ${key}`,
              ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              done({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Answer) : {} });
            });
            res.on('error', fail);
          },
        );
        req.on('error', fail);
        req.end(data);
      }),
    close: () => agent.destroy(),
  };
}

async function expectStatus(
  pending: Promise<{ status: number; json: Answer }>,
  status: number,
  what: string,
): Promise<Answer> {
  const { status: actual, json } = await pending;
  if (actual !== status) throw new Error(`${what}: ${actual} ${JSON.stringify(json)}`);
  return json;
}

/**
 * The API as tools/testing's startApp runs it; with Node options (--cpu-prof, which NODE_OPTIONS refuses)
 * the same command with those options in front.
 */
function startApi(env: Record<string, string>, nodeArgs: string[]): AppProcess {
  if (nodeArgs.length === 0) return startApp('apps/api/src/main.ts', env);
  const child = spawn(
    process.execPath,
    [...nodeArgs, require.resolve('ts-node/dist/bin.js'), 'apps/api/src/main.ts'],
    { cwd: resolve(__dirname, '..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => ({ stdout, stderr }), exit };
}

/** Runs bench/http-load.ts in its own process and returns one result per step. */
function runLoad(plan: LoadPlan, children: Set<ChildProcess>): Promise<StepResult[]> {
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), 'bench/http-load.ts'], {
    cwd: resolve(__dirname, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  child.stdin!.end(JSON.stringify(plan));
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((done, fail) =>
    child.on('exit', (code) => {
      children.delete(child);
      if (code !== 0) return fail(new Error(`the load generator exited with ${code}`));
      done(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as StepResult),
      );
    }),
  );
}

function checkFailures(what: string, result: StepResult): void {
  if (result.failures > 0)
    throw new Error(`${what}: ${result.failures} failed requests, e.g. ${result.failureSamples.join(' | ')}`);
}

/** (c) The events of (b) with a producer configured as the API's, the same number of events in flight. */
async function publishDirect(
  client: Client,
  config: GyreConfig,
  topic: string,
  batches: Buffer[][],
  concurrency: number,
): Promise<number> {
  const producer = await client.createProducer({
    topic,
    sendTimeoutMs: config.ingest.sendTimeoutMs,
    maxPendingMessages: config.ingest.maxInFlightEvents,
    batchingEnabled: true,
    batchingMaxPublishDelayMs: 5,
  });
  try {
    // Warm-up: one batch, not timed (the API side had its warm-up request too).
    await Promise.all(batches[0].map((data) => producer.send({ data })));
    let next = 1;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          await Promise.all(batch.map((data) => producer.send({ data })));
        }
      }),
    );
    return (performance.now() - started) / 1000;
  } finally {
    await producer.close();
  }
}

/** (d) Native: a Shared consumer on an existing subscription, each message acknowledged. */
async function drainNative(
  client: Client,
  topic: string,
  subscription: string,
  count: number,
): Promise<number> {
  const consumer = await client.subscribe({ topic, subscription, subscriptionType: 'Shared' });
  try {
    const started = performance.now();
    for (let i = 0; i < count; i++) void consumer.acknowledge(await consumer.receive(30_000));
    return (performance.now() - started) / 1000;
  } finally {
    await consumer.close();
  }
}

/** (d) HTTP: `workers` loops of pull (max 100) then ack of every lease, until `count` messages were acked. */
async function drainHttp(
  rest: Rest,
  key: string,
  stream: string,
  subscription: string,
  count: number,
  workers: number,
): Promise<number> {
  const base = `/v1/streams/${stream}/subscriptions/${subscription}`;
  let acked = 0;
  const deadline = Date.now() + 120_000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (acked < count) {
        if (Date.now() > deadline) throw new Error(`HTTP drain: only ${acked} of ${count} messages in 120 s`);
        const pulled = await expectStatus(
          rest.call('POST', `${base}/messages:pull`, key, { max: PULL_MAX, waitMs: 500 }),
          200,
          'pull',
        );
        const tokens = (pulled.messages ?? []).map((m) => m.leaseToken);
        if (tokens.length === 0) continue;
        await expectStatus(
          rest.call('POST', `${base}/messages:ack`, key, { leaseTokens: tokens }),
          200,
          'ack',
        );
        acked += tokens.length;
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** The durable Shared subscriptions that will hold the backlog (d) drains, created before producing. */
async function createSubscriptions(client: Client, topic: string, names: string[]): Promise<void> {
  for (const subscription of names) {
    const consumer = await client.subscribe({ topic, subscription, subscriptionType: 'Shared' });
    await consumer.close();
  }
}

function print(table: string[][]): void {
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  for (const row of table)
    process.stdout.write(
      `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`,
    );
}

async function main(): Promise<void> {
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
    },
  });
  const levels = values.concurrency.split(',').map(Number);
  const durationMs = Number(values['duration-s']) * 1000;
  const batchSize = Number(values.batch);
  const batchCount = Math.ceil(Number(values.events) / batchSize);
  const batchConcurrency = Number(values['batch-concurrency']);
  const pullWorkers = values['pull-workers'].split(',').map(Number);
  const phases = new Set(values.phases.split(','));
  if (phases.has('consume')) phases.add('batch'); // the backlog comes from (b) and (c)
  const profileDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;

  const config = loadGyreConfig();
  const hosts = [config.pulsar.serviceUrl, config.pulsar.adminUrl, config.database.url].map(
    (url) => new URL(url).hostname,
  );
  if (!hosts.every((host) => LOCAL.test(host)))
    throw new Error(`the benchmark runs against a local stack only, not ${hosts.join(', ')}`);

  const children = new Set<ChildProcess>();
  let api: AppProcess | undefined;
  let dataSource: DataSource | undefined;
  let client: Client | undefined;
  let rest: Rest | undefined;
  let keyService: ApiKeyService | undefined;
  const keyIds: string[] = [];
  const streams: string[] = [];
  let adminKey = '';
  const stopAll = () => {
    for (const child of children) child.kill('SIGKILL');
    api?.child.kill('SIGKILL');
  };
  const cap = setTimeout(() => {
    process.stderr.write(`benchmark exceeded ${TIME_CAP_MS / 1000} s; aborting\n`);
    stopAll();
    process.exit(2);
  }, TIME_CAP_MS);
  const table: string[][] = [['workload', 'Gyre API', 'reference', 'API/ref']];
  const notes: string[] = [];
  const profileWindows: Array<{ label: string; from: number; to: number }> = [];
  const micros = () => Number(process.hrtime.bigint() / 1000n);

  try {
    const port = await freePort();
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    api = startApi(
      {
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
        WORKERS_PORT: String(await freePort()),
        AUTH_RATE_LIMIT_PER_SECOND: '0',
        LOG_LEVEL: 'warn',
      },
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    const started = api;
    await Promise.race([
      waitFor(() => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok), {
        timeoutMs: 90_000,
        description: `the API on port ${port}`,
      }),
      started.exit.then(() => {
        throw new Error(`the API exited: ${started.output().stderr}`);
      }),
    ]);
    rest = restClient(port);

    // Keys: an admin key from the service (as the CLI makes it), then producer and consumer keys over the API.
    dataSource = createGyreDataSource(config, { applicationName: 'gyre-bench' });
    await dataSource.initialize();
    const service = new ApiKeyService(dataSource);
    keyService = service;
    const admin = await service.create(
      { name: uniqueName('bench-admin'), role: 'admin', scope: { kind: 'all' } },
      'bench',
    );
    keyIds.push(admin.key.id);
    adminKey = admin.secret;
    const single = uniqueName('bench-single');
    const batched = uniqueName('bench-batch');
    for (const name of [single, batched]) {
      await expectStatus(
        rest.call('POST', '/admin/streams', adminKey, {
          name,
          ownerTeam: 'bench',
          partitions: Number(values.partitions),
          schema: SCHEMA,
        }),
        201,
        `create stream ${name}`,
      );
      streams.push(name);
    }
    const issued = async (role: string) => {
      const body = await expectStatus(
        rest!.call('POST', '/admin/api-keys', adminKey, {
          name: uniqueName(`bench-${role}`),
          role,
          scope: { kind: 'streams', streams },
        }),
        201,
        `create ${role} key`,
      );
      keyIds.push(body.id!);
      return body.secret!;
    };
    const producerKey = await issued('producer');
    const consumerKey = await issued('consumer');
    const headers = { authorization: `Bearer ${producerKey}`, 'content-type': 'application/json' };
    client = new Client({ serviceUrl: config.pulsar.serviceUrl });

    if (phases.has('single')) {
      const plan: LoadPlan = {
        port,
        path: `/v1/streams/${single}/events`,
        headers,
        body: JSON.stringify({ payload: payloadOf(1) }),
        expectStatus: 202,
        steps: levels.map((connections) => ({ connections, durationMs, warmupMs: 2000 })),
      };
      const from = micros();
      const results = await runLoad(plan, children);
      profileWindows.push({ label: 'single-event load', from, to: micros() });
      for (const result of results) {
        checkFailures(`single events at ${result.connections}`, result);
        const c = result.connections;
        table.push(
          [`(a) single POST, ${c} conn: req/s`, (result.requests / result.seconds).toFixed(0), '', ''],
          [`(a) single POST, ${c} conn: p50 ms`, result.latencyMs.p50.toFixed(1), '', ''],
          [`(a) single POST, ${c} conn: p99 ms`, result.latencyMs.p99.toFixed(1), '', ''],
        );
      }
    }

    if (phases.has('batch')) {
      const topic = `persistent://${config.pulsar.tenant}/${config.pulsar.namespace}/${batched}`;
      const subscriptions = ['native', ...pullWorkers.map((w) => `http-${w}w`)];
      if (phases.has('consume')) await createSubscriptions(client, topic, subscriptions);
      // Batch 0 is the warm-up of each side; both sides publish the same events.
      const batches = Array.from({ length: batchCount + 1 }, (_, b) =>
        Array.from({ length: batchSize }, (_, i) => payloadOf(b * batchSize + i)),
      );
      const apiBody = JSON.stringify(batches[0].map((payload) => ({ payload })));
      // One body for every request: the API does not care that the events repeat (no ids, no key).
      const batchFrom = micros();
      const [warmup, measured] = await runLoad(
        {
          port,
          path: `/v1/streams/${batched}/events`,
          headers,
          body: apiBody,
          expectStatus: 202,
          steps: [
            { connections: 1, requests: 1 },
            { connections: batchConcurrency, requests: batchCount },
          ],
        },
        children,
      );
      profileWindows.push({ label: 'batch ingestion (warm-up included)', from: batchFrom, to: micros() });
      checkFailures('batch warm-up', warmup);
      checkFailures('batches', measured);
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
      table.push(
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
        [
          `(b) batch request p50 / p99 ms`,
          `${measured.latencyMs.p50.toFixed(0)} / ${measured.latencyMs.p99.toFixed(0)}`,
          '',
          '',
        ],
      );
      notes.push(
        `(b)/(c): ${events} events of ${EVENT_BYTES} B in JSON arrays of ${batchSize}, ${batchConcurrency} requests (or groups of sends) in flight; reference = @gyre/pulsar producer with the API's settings`,
      );

      if (phases.has('consume')) {
        const backlog = 2 * (batchCount + 1) * batchSize;
        const nativeSeconds = await drainNative(client, topic, 'native', backlog);
        for (const workers of pullWorkers) {
          const from = micros();
          const httpSeconds = await drainHttp(
            rest,
            consumerKey,
            batched,
            `http-${workers}w`,
            backlog,
            workers,
          );
          profileWindows.push({ label: `HTTP pull with ${workers} worker(s)`, from, to: micros() });
          table.push([
            `(d) consume msg/s, HTTP ${workers} worker${workers > 1 ? 's' : ''}`,
            (backlog / httpSeconds).toFixed(0),
            (backlog / nativeSeconds).toFixed(0),
            (nativeSeconds / httpSeconds).toFixed(2),
          ]);
        }
        notes.push(
          `(d): a backlog of ${backlog} events; HTTP = loops of pull (max ${PULL_MAX}) then ack; reference = one native Shared consumer acknowledging each message`,
        );
      }
    }
  } finally {
    clearTimeout(cap);
    for (const child of children) child.kill('SIGKILL');
    if (rest) {
      for (const name of streams)
        await rest
          .call('DELETE', `/admin/streams/${name}?confirm=${name}`, adminKey)
          .then(
            ({ status }) =>
              status === 204 || process.stderr.write(`could not delete stream ${name}: ${status}\n`),
          )
          .catch((error: unknown) =>
            process.stderr.write(`could not delete stream ${name}: ${String(error)}\n`),
          );
      rest.close();
    }
    for (const id of keyIds) await keyService?.revoke(id, 'bench').catch(() => undefined);
    await client?.close().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    if (api) {
      const running = api;
      running.child.kill('SIGTERM');
      const exited = await Promise.race([
        running.exit,
        new Promise((done) => setTimeout(done, 20_000, 'timeout')),
      ]);
      if (exited === 'timeout') running.child.kill('SIGKILL');
    }
  }

  process.stdout.write('\n');
  print(table);
  for (const note of notes) process.stdout.write(`${note}\n`);
  const profiles = profileDir ? readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile')) : [];
  const latest = profiles.sort()[profiles.length - 1];
  if (profileDir && latest)
    for (const { label, from, to } of profileWindows) {
      process.stdout.write(`\n${resolve(profileDir, latest)}, during the ${label}:\n`);
      printSummary(summarizeProfile(resolve(profileDir, latest), from, to));
    }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
