/**
 * End-to-end latency of bench/stages.ts: from the REST API accepting a transaction (the POST's response)
 * to its prediction being published by the workers (prepare, then infer), at a fixed offered rate.
 * Everything runs in a world of its own: a fresh database (the API migrates it), a Pulsar namespace of
 * its own, an API and a workers process with the fraud loop composed in (its entry points, examples/fraud-loop,
 * as child processes: the API applies the loop's migrations, the workers run its handlers).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ApiKeyService } from '@gyre/auth';
import { createGyreDataSource } from '@gyre/database';
import { generateFraudScenario } from '@gyre/ml';
import { PipelineService } from '@gyre/pipelines';
import { DEFAULT_PREPARE_ALLOWED_LATENESS_MS } from '@gyre/example-fraud-loop';
import { Client } from '@gyre/pulsar';
import { AppProcess, freePort, startApp, uniqueName, waitFor, waitForApp } from '../tools/testing';
import { commandCpuSeconds, pidCpuSeconds, sampleCpu } from './process-cpu';
import { expectStatus, restClient } from './rest-client';

export interface EndToEndResult {
  offeredPerSecond: number;
  acceptedPerSecond: number;
  events: number;
  predicted: number;
  /** Events with no prediction once the run went quiet: every event is scored, so this must be 0. */
  unscored: number;
  /** Events prepare got behind their card's latest event time (out of event-time order). */
  outOfOrder: number;
  /** Events prepare scored later than its allowed lateness (gyre_stage_late_events_total over the run). */
  late: number;
  /** The 1-minute load average when the run ended (2 shared cores: above 2, the machine is the bottleneck). */
  loadAverage: number;
  /** This run's events prepare dead-lettered, by failure code (an event it refused is never predicted). */
  deadLettered: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** REST accept -> features event seen (API publish, prepare). */
  prepare: { p50Ms: number; p99Ms: number };
  /** Features event seen -> prediction seen (infer). */
  infer: { p50Ms: number; p99Ms: number };
  /** CPU cores each process used on average over the run (its CPU seconds / the run's seconds). */
  cores: Record<string, number>;
}

export interface EndToEndWorld {
  databaseUrl: string;
  pulsarServiceUrl: string;
  tenant: string;
  namespace: string;
}

/** Starts the API and the workers on `world`, creates the loop's streams and pipeline, returns a poster. */
export async function startEndToEnd(world: EndToEndWorld) {
  const env = {
    DATABASE_URL: world.databaseUrl,
    GYRE_TENANT: world.tenant,
    GYRE_NAMESPACE: world.namespace,
    // Pinned: the benchmark connects on 127.0.0.1, whatever API_HOST a .env may set.
    API_HOST: '127.0.0.1',
    WORKERS_HOST: '127.0.0.1',
    API_PORT: String(await freePort()),
    WORKERS_PORT: String(await freePort()),
    AUTH_RATE_LIMIT_PER_SECOND: '0',
    WORKERS_PIPELINE_POLL_INTERVAL_MS: '200',
    LOG_LEVEL: 'warn',
  };
  const apps: AppProcess[] = [];
  const api = restClient(Number(env.API_PORT), 16);
  const stop = async () => {
    api.close();
    const running = apps.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    for (const { child } of running) child.kill('SIGTERM');
    await Promise.all(running.map((app) => app.exit));
  };
  try {
    const apiApp = startApp('examples/fraud-loop/src/main-api.ts', env);
    apps.push(apiApp);
    await waitForApp(apiApp, `http://127.0.0.1:${env.API_PORT}/health`, 120_000);
    const dataSource = await createGyreDataSource(
      { database: { url: world.databaseUrl, embeddedPort: 0 } },
      { applicationName: 'gyre-bench' },
    ).initialize();
    const { secret } = await new ApiKeyService(dataSource).create(
      { name: uniqueName('bench-e2e'), role: 'admin', scope: { kind: 'all' } },
      'bench',
    );
    const rest: Rest = (method, path, body, status) =>
      expectStatus(api.call(method, path, secret, body), status, `${method} ${path}`);
    for (const name of ['transactions', 'features', 'predictions'])
      await rest(
        'POST',
        '/admin/streams',
        {
          name,
          ownerTeam: 'bench',
          partitions: 1,
          schema: { type: 'object' },
        },
        201,
      );
    const stage = (name: string, input: string, output: string, handler: string, extra = {}) => ({
      name,
      input: {
        stream: input,
        subscriptionType: name === 'prepare' ? 'Key_Shared' : 'Shared',
        initialPosition: 'Earliest',
      },
      handler,
      outputs: [output],
      parameters: { output },
      ...extra,
    });
    await new PipelineService(dataSource).save('bench-e2e', {
      stages: [
        // As the reference loop runs it: batches of up to 64 (one Postgres transaction each), per-card order
        // kept, a card's transactions up to 5 s out of event-time order handled as in order.
        stage('prepare', 'transactions', 'features', 'fraud.prepare.v1', {
          concurrency: 8,
          batchSize: 64,
          batchMaxWaitMs: 2,
          allowedLatenessMs: DEFAULT_PREPARE_ALLOWED_LATENESS_MS,
        }),
        stage('infer', 'features', 'predictions', 'fraud.infer.v1', { batchSize: 32, batchMaxWaitMs: 2 }),
      ],
    });
    await dataSource.destroy();
    const workersApp = startApp('examples/fraud-loop/src/main-workers.ts', env);
    apps.push(workersApp);
    await waitForApp(workersApp, `http://127.0.0.1:${env.WORKERS_PORT}/health`, 120_000);
    const client = new Client({ serviceUrl: world.pulsarServiceUrl });
    const arrivals = new Map<string, number>();
    // Features too: splits the latency into REST -> prepare -> features and features -> infer -> prediction.
    const featuresAt = new Map<string, number>();
    // prepare handles a card's transactions in the order they reached the topic: those behind their card's latest
    // came out of event-time order (requests in flight together), the case allowedLatenessMs is for.
    const latestOfCard = new Map<string, number>();
    const behindTheirCard = new Set<string>();
    const noteCardOrder = (eventId: string, cardId: string, timestamp: number) => {
      if (timestamp < (latestOfCard.get(cardId) ?? -Infinity)) behindTheirCard.add(eventId);
      else latestOfCard.set(cardId, timestamp);
    };
    for (const [stream, seen] of [
      ['predictions', arrivals],
      ['features', featuresAt],
    ] as const)
      await client.subscribe({
        topic: `persistent://${world.tenant}/${world.namespace}/${stream}`,
        subscription: 'bench-e2e',
        subscriptionInitialPosition: 'Earliest',
        listener: async (message, consumer) => {
          const { eventId, cardId, timestamp } = JSON.parse(message.getData().toString()) as {
            eventId: string;
            cardId: string;
            timestamp: number;
          };
          if (!seen.has(eventId)) {
            seen.set(eventId, performance.now());
            if (stream === 'features') noteCardOrder(eventId, cardId, timestamp);
          }
          await consumer.acknowledge(message);
        },
      });
    // prepare's dead letters (the stage's default dead-letter topic), by event id: what will never be predicted.
    const deadLetters = new Map<string, string>();
    await client.subscribe({
      topic: `persistent://${world.tenant}/${world.namespace}/transactions-bench-e2e.prepare-DLQ`,
      subscription: 'bench-e2e',
      subscriptionInitialPosition: 'Earliest',
      listener: async (message, consumer) => {
        const properties = message.getProperties();
        deadLetters.set(properties['gyre-event-id'] ?? '', properties['gyre-failure-code'] ?? 'unknown');
        await consumer.acknowledge(message);
      },
    });
    const lateEvents = () => prepareLateEvents(Number(env.WORKERS_PORT));
    // Where the machine's two cores went: each process of the loop, the broker, Postgres and this bench.
    const cpuByProcess = (): Record<string, number> => ({
      api: pidCpuSeconds(apiApp.child.pid!) ?? 0,
      workers: pidCpuSeconds(workersApp.child.pid!) ?? 0,
      broker: sampleCpu(join(process.cwd(), '.data')).broker ?? 0,
      postgres: commandCpuSeconds('postgres'),
      bench: sampleCpu(join(process.cwd(), '.data')).client,
    });
    return {
      /** Offers `rate` events/s for `seconds`, in requests of `batch`; waits for their predictions. */
      measure: async (rate: number, seconds: number, batch: number, seed: string) => {
        const lateBefore = await lateEvents();
        const cpuBefore = cpuByProcess();
        const startedAt = performance.now();
        const result = await offer(rest, arrivals, featuresAt, rate, seconds, batch, seed);
        const elapsed = (performance.now() - startedAt) / 1000;
        const cpuAfter = cpuByProcess();
        result.cores = Object.fromEntries(
          Object.keys(cpuAfter).map((name) => [name, (cpuAfter[name] - cpuBefore[name]) / elapsed]),
        );
        result.late = (await lateEvents()) - lateBefore;
        result.outOfOrder = [...result.ids].filter((id) => behindTheirCard.has(id)).length;
        for (const [id, code] of deadLetters)
          if (result.ids.has(id)) result.deadLettered[code] = (result.deadLettered[code] ?? 0) + 1;
        const { ids, ...summary } = result;
        void ids;
        return summary;
      },
      stop: async () => {
        await client.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function offer(
  rest: Rest,
  arrivals: Map<string, number>,
  featuresAt: Map<string, number>,
  rate: number,
  seconds: number,
  batch: number,
  seed: string,
): Promise<EndToEndResult & { ids: Set<string> }> {
  const count = Math.round(rate * seconds);
  // Cards of this run only, at the scenario's ~25 transactions per card: a card's transactions are often in
  // requests in flight together, so prepare sees them out of order as a live stream would.
  const { transactions } = generateFraudScenario({ seed, transactionCount: count });
  // Event times by the send schedule: the only disorder is that of requests in flight together.
  const epoch = Date.now();
  const events = transactions.map((t, index) => {
    const timestamp = epoch + Math.floor((index / rate) * 1000);
    const payload = { ...t, cardId: `${seed}-${t.cardId}`, timestamp };
    return { id: t.eventId, key: payload.cardId, eventTime: timestamp, payload };
  });
  const accepted = new Map<string, number>();
  const started = performance.now();
  const requests: Promise<void>[] = [];
  for (let from = 0; from < events.length; from += batch) {
    const due = started + (from / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const slice = events.slice(from, from + batch);
    requests.push(
      rest('POST', '/v1/streams/transactions/events', slice, 202).then(() => {
        const at = performance.now();
        for (const event of slice) accepted.set(event.id, at);
      }),
    );
  }
  await Promise.all(requests);
  const acceptedIn = (performance.now() - started) / 1000;
  // Until every prediction came, or none came for 10 s (an event refused by a stage never will).
  let seen = -1;
  let quietSince = performance.now();
  await waitFor(
    () => {
      const got = events.filter((e) => arrivals.has(e.id)).length;
      if (got !== seen) [seen, quietSince] = [got, performance.now()];
      return got === events.length || performance.now() - quietSince > 10_000;
    },
    { timeoutMs: 180_000, intervalMs: 250, description: 'the predictions' },
  ).catch(() => undefined);
  const predicted = events.filter((e) => arrivals.has(e.id));
  const quantiles = (values: number[]) => {
    values.sort((a, b) => a - b);
    return (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  };
  const total = quantiles(predicted.map((e) => arrivals.get(e.id)! - accepted.get(e.id)!));
  const toFeatures = quantiles(predicted.map((e) => featuresAt.get(e.id)! - accepted.get(e.id)!));
  const toPrediction = quantiles(predicted.map((e) => arrivals.get(e.id)! - featuresAt.get(e.id)!));
  return {
    offeredPerSecond: rate,
    acceptedPerSecond: count / acceptedIn,
    events: count,
    predicted: predicted.length,
    unscored: count - predicted.length,
    outOfOrder: 0,
    late: 0,
    loadAverage: loadavg()[0],
    deadLettered: {},
    ids: new Set(events.map((e) => e.id)),
    p50Ms: total(0.5),
    p99Ms: total(0.99),
    maxMs: total(1),
    prepare: { p50Ms: toFeatures(0.5), p99Ms: toFeatures(0.99) },
    infer: { p50Ms: toPrediction(0.5), p99Ms: toPrediction(0.99) },
    cores: {},
  };
}

/** The workers' gyre_stage_late_events_total of the bench's prepare stage (0 before it first counts). */
async function prepareLateEvents(workersPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${workersPort}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('gyre_stage_late_events_total{') && l.includes('stage="prepare"'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** A POST or other call with the bench's admin key that must answer `status`. */
type Rest = (method: string, path: string, body: unknown, status: number) => Promise<unknown>;
