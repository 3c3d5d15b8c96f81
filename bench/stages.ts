/**
 * Stage throughput of the workers against the raw consume rate of @gyre/pulsar, in one run against the
 * running local stack (127.0.0.1 only). Each measurement is a set of worker processes
 * (bench/stage-worker.ts) on a fresh subscription of the same pre-published backlog:
 *
 * (a) raw: one process receiving and acknowledging every message with a plain Shared consumer (the reference);
 * (b) infer (fraud.infer.v1, built-in logistic regression, publishing each prediction with its receipt
 *     before the ack) with batchSize 1 and --batch, in 1 and 2 processes;
 * (c) prepare (fraud.prepare.v1, Key_Shared by card, one Postgres transaction per batch) with batchSize 1 and
 *     --prepare-batch (on a --prepare-batch-events backlog), in 1 and 2 processes.
 *
 * Rates are steady-state: events between 10 % and 90 % of the backlog over the time between them.
 *
 * (c') delivery: infer at-least-once against exactly-once (one Pulsar transaction per handling: outputs
 *     sent and inputs acked in it), batch 1 and --batch, 1 process, on --delivery-events events each.
 *
 * (d) end to end (bench/stages-e2e.ts): the API and a workers process running prepare and infer on a fresh
 *     database and namespace; transactions offered over REST at each --e2e-rates for --e2e-seconds, in
 *     requests of --e2e-batch; latency from each POST's response to its prediction reaching a consumer.
 *     Event times follow the send schedule; it prints the events left unscored (no prediction: must be 0),
 *     those prepare got out of event-time order and how many were later than its allowed lateness.
 *
 * (e) scaling (not in the default phases): infer (--batch) and prepare (--prepare-batch) in 1, 2 and 4 worker
 *     processes on the same backlog, each with its rate, its events per worker CPU second (from /proc) and
 *     its speed-up over 1 process, and the load average.
 *
 *   npx ts-node bench/stages.ts [--infer-events 20000] [--prepare-events 4000] [--batch 32] [--concurrency 8]
 *     [--e2e-rates 500,2000] [--e2e-seconds 10] [--e2e-batch 10] [--delivery-events 4000]
 *     [--phases stages,delivery,e2e,scaling]
 *
 * With BENCH_CPU_PROF_DIR=DIR in the environment, every worker process writes a CPU profile (node --cpu-prof)
 * to DIR, for `npx ts-node bench/cpu-profile.ts`-style summaries of where a stage's CPU goes.
 *
 * Bounded: each measurement stops at 5 minutes; the namespace's topics are left to Pulsar's retention,
 * the bench database is dropped.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildFeatureRows, FRAUD_FEATURES_V1, generateFraudScenario } from '@gyre/ml';
import { Client, Producer, ProducerMessage } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { EVENT_PROPERTIES, StreamNamespace } from '@gyre/streams';
import { createFreshDatabase, testEndpoints, uniqueName } from '../tools/testing';
import { pidCpuSeconds } from './process-cpu';
import { startEndToEnd } from './stages-e2e';

const MEASUREMENT_CAP_MS = 5 * 60_000;

interface Run {
  label: string;
  kind: 'raw' | 'infer' | 'prepare';
  processes: number;
  batchSize: number;
  events: number;
  ratePerSecond: number;
  /** Events per CPU second of the worker processes over the steady window (10 % to 90 %). */
  perWorkerCpuSecond: number;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      'infer-events': { type: 'string', default: '20000' },
      'prepare-events': { type: 'string', default: '4000' },
      'prepare-batch': { type: 'string', default: '64' },
      'prepare-batch-events': { type: 'string', default: '20000' },
      batch: { type: 'string', default: '32' },
      concurrency: { type: 'string', default: '8' },
      'e2e-rates': { type: 'string', default: '500,2000' },
      'e2e-seconds': { type: 'string', default: '10' },
      'e2e-batch': { type: 'string', default: '10' },
      'delivery-events': { type: 'string', default: '4000' },
      phases: { type: 'string', default: 'stages,delivery,e2e' },
    },
  });
  const inferEvents = Number(args['infer-events']);
  const prepareEvents = Number(args['prepare-events']);
  const prepareBatch = Number(args['prepare-batch']);
  const prepareBatchEvents = Number(args['prepare-batch-events']);
  const batch = Number(args.batch);
  const concurrency = Number(args.concurrency);
  const stack = testEndpoints();
  if (!/^pulsar:\/\/(127\.0\.0\.1|localhost):/.test(stack.pulsarServiceUrl))
    throw new Error('bench/stages.ts runs against the local stack only');
  const namespace = new StreamNamespace(new PulsarAdmin({ adminUrl: stack.pulsarAdminUrl }), {
    tenant: 'gyre-it',
    namespace: uniqueName('bench-stages'),
    cluster: 'standalone',
    offloadThresholdBytes: -1,
    offloadDeletionLagMs: 3_600_000,
  });
  await namespace.provision();
  const topics = Object.fromEntries(
    ['features', 'predictions', 'transactions', 'prepared'].map((s) => [s, namespace.topic(s)]),
  );
  const database = await createFreshDatabase();
  const client = new Client({ serviceUrl: stack.pulsarServiceUrl });
  const runs: Run[] = [];
  try {
    const phases = args.phases.split(',');
    if (phases.includes('stages')) {
      process.stdout.write(`publishing ${inferEvents} feature events and ${prepareEvents} transactions...\n`);
      await publishBacklog(client, topics, inferEvents, Math.max(prepareEvents, prepareBatchEvents));
      const common = { serviceUrl: stack.pulsarServiceUrl, topics, concurrency, databaseUrl: database.url };
      const measure = async (
        label: string,
        kind: Run['kind'],
        processes: number,
        batchSize: number,
        events = kind === 'prepare' ? prepareEvents : inferEvents,
      ) => {
        const subscription = uniqueName(`${kind}-${processes}p-b${batchSize}`);
        const settings = {
          ...common,
          batchSize,
          subscription,
          pipeline: uniqueName(`bench-${kind}`),
          input: kind === 'prepare' ? 'transactions' : 'features',
          output: kind === 'prepare' ? 'prepared' : 'predictions',
        };
        const { ratePerSecond, perWorkerCpuSecond } = await runWorkers(kind, settings, processes, events);
        const run = { label, kind, processes, batchSize, events, ratePerSecond, perWorkerCpuSecond };
        runs.push(run);
        process.stdout.write(
          `  ${label.padEnd(32)} ${ratePerSecond.toFixed(0).padStart(7)} events/s` +
            `  ${perWorkerCpuSecond.toFixed(0).padStart(7)} events per worker CPU second\n`,
        );
      };
      await measure('raw consume (reference)', 'raw', 1, 1);
      await measure('infer, batch 1, 1 process', 'infer', 1, 1);
      await measure(`infer, batch ${batch}, 1 process`, 'infer', 1, batch);
      await measure(`infer, batch ${batch}, 2 processes`, 'infer', 2, batch);
      await measure('prepare, batch 1, 1 process', 'prepare', 1, 1);
      await measure(
        `prepare, batch ${prepareBatch}, 1 process`,
        'prepare',
        1,
        prepareBatch,
        prepareBatchEvents,
      );
      await measure(
        `prepare, batch ${prepareBatch}, 2 processes`,
        'prepare',
        2,
        prepareBatch,
        prepareBatchEvents,
      );
      printSummary(runs, batch, prepareBatch);
    }
    if (phases.includes('scaling')) {
      // The scaling curve: the same backlog through 1, 2 and 4 worker processes of each stage.
      if (!phases.includes('stages'))
        await publishBacklog(client, topics, inferEvents, Math.max(prepareEvents, prepareBatchEvents));
      const common = { serviceUrl: stack.pulsarServiceUrl, topics, concurrency, databaseUrl: database.url };
      process.stdout.write('\nscaling curve (events/s; events per worker CPU second)\n');
      for (const kind of ['infer', 'prepare'] as const) {
        const batchSize = kind === 'infer' ? batch : prepareBatch;
        const events = kind === 'infer' ? inferEvents : prepareBatchEvents;
        const rates: number[] = [];
        for (const processes of [1, 2, 4]) {
          const { ratePerSecond, perWorkerCpuSecond } = await runWorkers(
            kind,
            {
              ...common,
              batchSize,
              subscription: uniqueName(`${kind}-scale-${processes}p`),
              pipeline: uniqueName(`bench-${kind}`),
              input: kind === 'prepare' ? 'transactions' : 'features',
              output: kind === 'prepare' ? 'prepared' : 'predictions',
            },
            processes,
            events,
          );
          rates.push(ratePerSecond);
          process.stdout.write(
            `  ${kind} (batch ${batchSize}), ${processes} process${processes > 1 ? 'es' : ''}`.padEnd(36) +
              `${ratePerSecond.toFixed(0).padStart(7)} events/s  ${perWorkerCpuSecond.toFixed(0).padStart(7)}` +
              ` per worker CPU s  x${(ratePerSecond / rates[0]).toFixed(2)} of 1 process  load ${loadavg()[0].toFixed(1)}\n`,
          );
        }
      }
    }
    if (phases.includes('delivery')) {
      const events = Math.min(inferEvents, Number(args['delivery-events']));
      if (!phases.includes('stages')) await publishBacklog(client, topics, events, 0);
      await compareDelivery(
        { serviceUrl: stack.pulsarServiceUrl, topics, concurrency, databaseUrl: database.url },
        [1, batch],
        events,
      );
    }
    if (phases.includes('e2e'))
      await endToEnd(
        stack.pulsarServiceUrl,
        args['e2e-rates'].split(',').map(Number),
        Number(args['e2e-seconds']),
        Number(args['e2e-batch']),
      );
  } finally {
    await client.close();
    await database.drop();
  }
}

async function publishBacklog(
  client: Client,
  topics: Record<string, string>,
  inferEvents: number,
  prepareEvents: number,
): Promise<void> {
  const scenario = generateFraudScenario({
    seed: 'bench-stages',
    transactionCount: Math.max(inferEvents, prepareEvents),
  });
  const rows = buildFeatureRows(FRAUD_FEATURES_V1, scenario.transactions, scenario.outcomes);
  const features = await client.createProducer({ topic: topics.features, batchingMaxPublishDelayMs: 5 });
  await sendAll(
    features,
    rows.slice(0, inferEvents).map((row, i) => ({
      data: Buffer.from(
        JSON.stringify({
          eventId: row.eventId,
          cardId: scenario.transactions[i].cardId,
          timestamp: scenario.transactions[i].timestamp,
          epoch: 1,
          featureDefinition: 'fraud.card-features@1',
          values: row.values,
        }),
      ),
      properties: { [EVENT_PROPERTIES.eventId]: row.eventId },
    })),
  );
  await features.close();
  // Unbatched: a batch of mixed cards would be dispatched to one Key_Shared consumer whole.
  const transactions = await client.createProducer({ topic: topics.transactions, batchingEnabled: false });
  await sendAll(
    transactions,
    scenario.transactions.slice(0, prepareEvents).map((transaction) => ({
      data: Buffer.from(JSON.stringify(transaction)),
      partitionKey: transaction.cardId,
      properties: { [EVENT_PROPERTIES.eventId]: transaction.eventId },
    })),
  );
  await transactions.close();
}

/** REST accept -> published prediction, in a world of its own (fresh database and namespace). */
async function endToEnd(serviceUrl: string, rates: number[], seconds: number, batch: number): Promise<void> {
  const database = await createFreshDatabase();
  const namespace = uniqueName('bench-e2e');
  const world = await startEndToEnd({
    databaseUrl: database.url,
    pulsarServiceUrl: serviceUrl,
    tenant: 'gyre-it',
    namespace,
  });
  try {
    process.stdout.write(`\nend to end (REST accept -> prediction published; requests of ${batch} events)\n`);
    await world.measure(100, 3, batch, 'bench-e2e-warm-up');
    for (const rate of rates) {
      const r = await world.measure(rate, seconds, batch, `bench-e2e-${rate}`);
      process.stdout.write(
        `  offered ${String(rate).padStart(5)}/s  accepted ${r.acceptedPerSecond.toFixed(0).padStart(5)}/s  ` +
          `predicted ${r.predicted}/${r.events}  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  max ${r.maxMs.toFixed(0)} ms` +
          `${rate === 2000 ? `  (goal p99 < 50 ms: ${r.p99Ms < 50 ? 'met' : 'missed'})` : ''}\n` +
          `      unscored ${r.unscored} (events with no prediction; must be 0)  ` +
          `out of event-time order ${r.outOfOrder}, of them later than allowed ${r.late}  ` +
          `load average ${r.loadAverage.toFixed(2)}\n` +
          `      dead-lettered by prepare: ${JSON.stringify(r.deadLettered)}\n` +
          `      REST -> features p50 ${r.prepare.p50Ms.toFixed(1)} / p99 ${r.prepare.p99Ms.toFixed(1)} ms; ` +
          `features -> prediction p50 ${r.infer.p50Ms.toFixed(1)} / p99 ${r.infer.p99Ms.toFixed(1)} ms\n` +
          `      CPU cores used (of 2): ${Object.entries(r.cores)
            .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
            .join(', ')}; together ${Object.values(r.cores)
            .reduce((a, b) => a + b, 0)
            .toFixed(2)}\n`,
      );
    }
  } finally {
    await world.stop();
    await database.drop();
  }
}

/** infer at-least-once against exactly-once, 1 process, at each batch size; prints rates and ratios. */
async function compareDelivery(
  common: Record<string, unknown>,
  batchSizes: number[],
  events: number,
): Promise<void> {
  process.stdout.write(`\ndelivery (infer, 1 process, ${events} events each)\n`);
  const ratios: string[] = [];
  for (const batchSize of batchSizes) {
    const rates: Record<string, number> = {};
    for (const delivery of ['at-least-once', 'exactly-once']) {
      const settings = {
        ...common,
        delivery,
        batchSize,
        subscription: uniqueName(`infer-${delivery}-b${batchSize}`),
        pipeline: uniqueName('bench-delivery'),
        input: 'features',
        output: 'predictions',
      };
      rates[delivery] = (await runWorkers('infer', settings, 1, events)).ratePerSecond;
      const label = `infer, batch ${batchSize}, ${delivery}`;
      process.stdout.write(`  ${label.padEnd(32)} ${rates[delivery].toFixed(0).padStart(7)} events/s\n`);
    }
    const ratio = rates['exactly-once'] / rates['at-least-once'];
    ratios.push(`  exactly-once / at-least-once, batch ${batchSize}: ${ratio.toFixed(2)}`);
  }
  process.stdout.write(`${ratios.join('\n')}\n`);
}

/** Sends in chunks below the producer's pending-message limit, in order. */
async function sendAll(producer: Producer, messages: ProducerMessage[]): Promise<void> {
  for (let from = 0; from < messages.length; from += 500)
    await Promise.all(messages.slice(from, from + 500).map((message) => producer.send(message)));
}

/** Starts `processes` workers, waits for `events` to be handled, returns the steady rate (10 %-90 %). */
async function runWorkers(
  kind: Run['kind'],
  settings: Record<string, unknown>,
  processes: number,
  events: number,
): Promise<{ ratePerSecond: number; perWorkerCpuSecond: number }> {
  const latest = new Array<number>(processes).fill(0);
  const crossings: { at10?: number; at90?: number } = {};
  const cpu: { at10?: number; at90?: number } = {};
  const workersCpu = () => children.reduce((sum, child) => sum + (pidCpuSeconds(child.pid!) ?? 0), 0);
  let done!: () => void;
  let failed!: (error: Error) => void;
  const finished = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
  const children: ChildProcess[] = [];
  for (let p = 0; p < processes; p++) {
    const child = spawn(
      process.execPath,
      [
        // BENCH_CPU_PROF_DIR: each worker process writes a CPU profile there (summarised by bench/cpu-profile.ts).
        ...(process.env.BENCH_CPU_PROF_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
          : []),
        require.resolve('ts-node/dist/bin.js'),
        'bench/stage-worker.ts',
        kind,
        JSON.stringify(settings),
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    children.push(child);
    child.on('exit', (code) => {
      if (code !== 0) failed(new Error(`a ${kind} worker exited with code ${code}`));
    });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{"processed"')) continue;
        const { processed, at } = JSON.parse(line) as { processed: number; at: number };
        latest[p] = processed;
        const total = latest.reduce((a, b) => a + b, 0);
        if (crossings.at10 === undefined && total >= events * 0.1) {
          crossings.at10 = at;
          cpu.at10 = workersCpu();
        }
        if (crossings.at90 === undefined && total >= events * 0.9) {
          crossings.at90 = at;
          cpu.at90 = workersCpu();
        }
        if (total >= events) done();
      }
    });
  }
  const cap = setTimeout(done, MEASUREMENT_CAP_MS);
  await finished;
  clearTimeout(cap);
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.on('exit', () => resolve());
          child.stdin!.end();
        }),
    ),
  );
  if (crossings.at10 === undefined || crossings.at90 === undefined || crossings.at90 === crossings.at10)
    throw new Error(`${kind}: the backlog was not handled within ${MEASUREMENT_CAP_MS / 1000} s`);
  return {
    ratePerSecond: (events * 0.8 * 1000) / (crossings.at90 - crossings.at10),
    perWorkerCpuSecond: (events * 0.8) / Math.max(0.01, cpu.at90! - cpu.at10!),
  };
}

function printSummary(runs: Run[], batch: number, prepareBatch: number): void {
  const rate = (label: string) => runs.find((run) => run.label === label)?.ratePerSecond ?? NaN;
  const raw = rate('raw consume (reference)');
  const lines = [
    '',
    'ratios',
    `  infer (batch 1) per process / raw consume:        ${(rate('infer, batch 1, 1 process') / raw).toFixed(2)}`,
    `  infer (batch ${batch}) per process / raw consume:       ${(rate(`infer, batch ${batch}, 1 process`) / raw).toFixed(2)}  (goal >= 0.5)`,
    `  infer 2 processes / 1 process:                      ${(rate(`infer, batch ${batch}, 2 processes`) / rate(`infer, batch ${batch}, 1 process`)).toFixed(2)}`,
    `  prepare (batch ${prepareBatch}) per process / raw consume:     ${(rate(`prepare, batch ${prepareBatch}, 1 process`) / raw).toFixed(2)}`,
    `  prepare batch ${prepareBatch} / batch 1 (1 process):           ${(rate(`prepare, batch ${prepareBatch}, 1 process`) / rate('prepare, batch 1, 1 process')).toFixed(2)}`,
    `  prepare 2 processes / 1 process (batch ${prepareBatch}):       ${(rate(`prepare, batch ${prepareBatch}, 2 processes`) / rate(`prepare, batch ${prepareBatch}, 1 process`)).toFixed(2)}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/stages failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
