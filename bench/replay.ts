/**
 * Replay from hot storage (BookKeeper) against replay from cold storage (S3 only: offloaded and deleted
 * from BookKeeper), for the same events, in one run on the local stack; then the time to rebuild features.
 *
 * 1. creates a stream (`--partitions`, default 4) whose offloaded ledgers leave BookKeeper at once
 *    (stream-level deletion lag 0, automatic offload off), and publishes `--count` (default 1 000 000)
 *    card transactions of `--size` (1024) bytes with the ingest API's producer settings, keyed by card;
 *    closes every partition's ledger and publishes one more event per partition into the new open ledger;
 * 2. hot: reads it back three ways, each over all partitions in parallel:
 *    - raw:    one plain @gyre/pulsar Reader per partition (the reference);
 *    - runner: the replay runner's partition reader (libs/replay replayPartition) into a counting sink,
 *              i.e. the product's read path without writing the events anywhere;
 *    - job:    a replay job (POST /admin/replays' service, run by ReplayRunner) into a new stream: the
 *              product end to end, reading and re-publishing every event;
 * 3. offloads every closed ledger to S3, waits until BookKeeper no longer holds them;
 * 4. cold: the same three reads, two raw readers per partition at once (apache/pulsar#18723), then a
 *    feature rebuild: the runner's read path with every event parsed and run through the fraud feature
 *    definition (libs/ml FraudFeatureState, FRAUD_FEATURES_V1);
 * 5. the product's feature rebuild (bench/replay-rebuild.ts), on `--rebuild-count` (default 20 000; 0 skips)
 *    transactions of its own (prepare costs Postgres round trips per event, so 1M would take too long):
 *    the reference loop's pipeline saved in Postgres, and a replay job with target pipelineStage prepare
 *    at fraud.card-features@2 run by this process's ReplayRunner with the loop's handlers, beside a replay
 *    job into a stream and @gyre/ml's computation on the same events; its time for `--count` events is
 *    extrapolated linearly from its rate (printed as such);
 * 6. prints events/s, MB/s and seconds per read, the cold/hot ratios, and the CPU seconds the broker, the
 *    S3 server and this process spent on each read (pid files under --stack-data); deletes its streams.
 *
 *   npx ts-node bench/replay.ts [--count 1000000] [--size 1024] [--partitions 4] [--skip-job] [--no-batching]
 *     [--offload-read-buffer BYTES] [--offload-read-threads N] [--checkpoint-every EVENTS] [--stack-data .data]
 *     [--rebuild-count 20000]
 *
 * --no-batching publishes one event per entry (history ingested one event at a time): the worst case for
 * per-entry read costs in both tiers. The --offload-* flags set the offloader's read
 * settings on the stream (tuning experiments); --checkpoint-every overrides the runner's checkpoint cadence.
 *
 * Uses the stack named by the environment / .data/stack.env (PULSAR_SERVICE_URL, PULSAR_ADMIN_URL,
 * S3_ENDPOINT, DATABASE_URL) and refuses anything not on 127.0.0.1/localhost; capped at 30 minutes.
 */
import 'reflect-metadata';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { GyreCoreModule } from '../libs/core/src';
import { JsonLogger } from '../libs/logging/src';
import { Client } from '../libs/pulsar/src';
import { PulsarAdmin } from '../libs/pulsar-admin/src';
import { REFERENCE_LOOP_MIGRATIONS, ReferenceLoopModule } from '../examples/fraud-loop/src';
import { ReplayModule, ReplayRunner } from '../libs/replay/src';
import { StreamCatalog, StreamView } from '../libs/streams/src';
import { StreamOperationsModule, StreamStorage } from '../libs/stream-operations/src';
import {
  offloadStream,
  testEndpoints,
  uniqueName,
  waitFor,
  waitForOffloadedLedgersToLeaveBookKeeper,
} from '../tools/testing';
import {
  rebuildPasses,
  REBUILD_DEFINITION,
  setUpRebuild,
  timedReplayJob,
  useReferenceLoopHandlers,
} from './replay-rebuild';
import {
  featureRebuilder,
  lastMessageIds,
  publishEvents,
  ReadFigures,
  readRaw,
  readThroughRunner,
  transactionEvents,
} from './replay-workload';
import { describeCpu, sampleCpu } from './process-cpu';

const TIME_CAP_MS = 30 * 60_000;
const ACTOR = 'bench-replay';

async function createApp(runnerSettings: {
  checkpointEveryEvents?: number;
}): Promise<INestApplicationContext> {
  @Module({
    imports: [
      GyreCoreModule.forRoot({
        applicationName: 'gyre-bench-replay',
        migrationsRun: true,
        migrations: REFERENCE_LOOP_MIGRATIONS,
      }),
      StreamOperationsModule,
      // Production runner settings, but a quick claim so the job's time is the replay's.
      ReplayModule.forRoot({ pollIntervalMs: 100, ...runnerSettings }),
      // The prepare handler a feature rebuild runs (no live stage runs in this process).
      ReferenceLoopModule,
    ],
  })
  class BenchReplayModule {}
  const app = await NestFactory.createApplicationContext(BenchReplayModule, {
    logger: new JsonLogger({ level: 'warn' }),
  });
  await app.init();
  return app;
}

function log(text: string): void {
  process.stdout.write(
    `[${new Date().toISOString().slice(11, 19)} load ${loadavg()[0].toFixed(1)}] ${text}\n`,
  );
}

function describeRead(label: string, figures: ReadFigures): string {
  const rate = figures.events / figures.seconds;
  const mb = figures.bytes / figures.seconds / 1e6;
  return `${label}: ${figures.events} events in ${figures.seconds.toFixed(1)} s = ${rate.toFixed(0)} events/s, ${mb.toFixed(1)} MB/s`;
}

/** A replay job into a new stream, run by this process's ReplayRunner; timed from creation to completion. */
async function replayJob(app: INestApplicationContext, source: StreamView, created: string[]) {
  const target = uniqueName('bench-replay-dst');
  created.push(target);
  return timedReplayJob(app, source.name, { kind: 'stream', stream: target });
}

/** Offloads every closed ledger and waits until BookKeeper holds only each partition's open ledger. */
async function offloadAll(app: INestApplicationContext, admin: PulsarAdmin, source: StreamView) {
  const storage = app.get(StreamStorage);
  const started = performance.now();
  await offloadStream(storage, source.name, ACTOR, { timeoutMs: 15 * 60_000, intervalMs: 500 });
  const offloadSeconds = (performance.now() - started) / 1000;
  await waitForOffloadedLedgersToLeaveBookKeeper(admin, source.topic, source.partitions, {
    timeoutMs: 5 * 60_000,
    intervalMs: 500,
  });
  const report = await storage.report(source.name);
  const coldLedgers = report.ledgers.filter((ledger) => ledger.offloaded && !ledger.inBookKeeper);
  const coldEntries = coldLedgers.reduce((total, ledger) => total + ledger.entries, 0);
  return {
    offloadSeconds,
    ledgers: coldLedgers.length,
    entries: coldEntries,
    missing: report.s3.missingLedgers,
  };
}

/** The product rebuild against its references, and its time for the benchmark's event count (extrapolated if fewer ran). */
function describeProductRebuild(passes: Awaited<ReturnType<typeof rebuildPasses>>, count: number): string {
  const rate = (f: ReadFigures) => f.events / f.seconds;
  const product = rate(passes.product);
  return (
    `product feature rebuild (replay job through prepare, ${REBUILD_DEFINITION}), hot, ` +
    `${passes.product.events} events: ${passes.product.seconds.toFixed(1)} s, ${product.toFixed(0)} events/s; ` +
    `${(product / rate(passes.intoStream)).toFixed(2)}x a replay job into a stream (${rate(passes.intoStream).toFixed(0)} events/s), ` +
    `${(product / rate(passes.inMemory)).toFixed(3)}x @gyre/ml on the read path (${rate(passes.inMemory).toFixed(0)} events/s); ` +
    (passes.product.events >= count
      ? `not extrapolated: the rebuild ran on at least the benchmark's ${count} events\n`
      : `EXTRAPOLATED to ${count} events at that rate: ${(count / product).toFixed(0)} s\n`)
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000000' },
      size: { type: 'string', default: '1024' },
      partitions: { type: 'string', default: '4' },
      'skip-job': { type: 'boolean', default: false },
      'no-batching': { type: 'boolean', default: false },
      // Tuning experiments: the offloader's read settings as stream-level offload policies.
      'offload-read-buffer': { type: 'string' },
      'offload-read-threads': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      // Where the stack keeps its pid files (CPU per service); the checkout's own .data by default.
      'stack-data': { type: 'string', default: '.data' },
      'rebuild-count': { type: 'string', default: '20000' },
    },
  });
  const count = Number(values.count);
  const size = Number(values.size);
  const partitions = Number(values.partitions);
  const batching = !values['no-batching'];
  const endpoints = testEndpoints();
  for (const url of [endpoints.pulsarServiceUrl, endpoints.pulsarAdminUrl, endpoints.s3Endpoint])
    if (!/^[a-z]+:\/\/(127\.0\.0\.1|localhost):\d+/.test(url))
      throw new Error(`the benchmark runs against a local stack only, not ${url}`);
  const cap = setTimeout(() => {
    process.stderr.write(`benchmark exceeded ${TIME_CAP_MS / 1000} s; aborting\n`);
    process.exit(2);
  }, TIME_CAP_MS);
  const app = await createApp(
    values['checkpoint-every'] ? { checkpointEveryEvents: Number(values['checkpoint-every']) } : {},
  );
  const client = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
  const admin = new PulsarAdmin({ adminUrl: endpoints.pulsarAdminUrl });
  const created: string[] = [];
  const handlers = useReferenceLoopHandlers(app);
  app.get(ReplayRunner).start();
  try {
    const catalog = app.get(StreamCatalog);
    const source = await catalog.create(
      { name: uniqueName('bench-replay-src'), ownerTeam: 'bench', partitions, schema: { type: 'object' } },
      ACTOR,
    );
    created.push(source.name);
    const storage = app.get(StreamStorage);
    await storage.updatePolicies(source.name, { offloadThresholdBytes: -1, offloadDeletionLagMs: 0 }, ACTOR);
    await waitFor(async () => (await storage.policies(source.name)).offloadDeletionLagMs === 0, {
      description: 'the stream-level offload policies to apply',
    });

    const readSettings = {
      ...(values['offload-read-buffer'] && {
        s3ManagedLedgerOffloadReadBufferSizeInBytes: Number(values['offload-read-buffer']),
      }),
      ...(values['offload-read-threads'] && {
        managedLedgerOffloadReadThreads: Number(values['offload-read-threads']),
      }),
    };
    if (Object.keys(readSettings).length > 0) {
      // Offload policies set on the namespace or the stream shadow the broker's configuration field by
      // field (topic > namespace > broker), with Pulsar's defaults for every field they leave unset.
      // The stream's own policies (not the applied ones, which would copy the broker's credentials in).
      const own = await admin.getTopicOffloadPolicies(source.topic);
      await admin.setTopicOffloadPolicies(source.topic, { ...own, ...readSettings });
      await waitFor(
        async () => {
          const now = await admin.getAppliedOffloadPolicies(source.topic);
          return Object.entries(readSettings).every(([field, value]) => now?.[field] === value);
        },
        { description: 'the offloader read settings to apply' },
      );
      log(`stream-level offloader read settings: ${JSON.stringify(readSettings)}`);
    }
    log(
      `publishing ${count} events of ${size} B to ${source.topic} (${partitions} partitions, ` +
        `${batching ? 'batched' : 'one event per entry'})`,
    );
    // The last `partitions` transactions (the latest in event time) become the tail events below.
    const events = transactionEvents(count + partitions, size);
    const firstEvents = (function* () {
      for (let i = 0; i < count; i++) yield events.next().value!;
    })();
    const published = await publishEvents(client, source.topic, firstEvents, batching);
    log(describeRead('published', { ...published, events: published.count }));
    // Close every partition's ledger, then put one event in each new open ledger (which never offloads),
    // so that everything published above lies in closed ledgers that can move to S3.
    await admin.unloadTopic(source.topic);
    for (let partition = 0; partition < partitions; partition++) {
      const tail = events.next().value!;
      await publishEvents(client, `${source.topic}-partition-${partition}`, [tail], batching);
    }
    const ends = await lastMessageIds(admin, source.topic, partitions);

    const stackData = values['stack-data'];
    /** Runs one read and logs its figures with the CPU seconds each process spent on it. */
    const timed = async <T extends ReadFigures>(label: string, read: () => Promise<T>): Promise<T> => {
      const before = sampleCpu(stackData);
      const figures = await read();
      log(`${describeRead(label, figures)} (CPU: ${describeCpu(before, sampleCpu(stackData))})`);
      return figures;
    };
    const passes = async (tier: 'hot' | 'cold') => {
      const raw = await timed(`${tier} raw reader`, () => readRaw(client, source.topic, ends));
      const runner = await timed(`${tier} runner read path`, () =>
        readThroughRunner(client, source.topic, ends),
      );
      const job = values['skip-job']
        ? undefined
        : await timed(`${tier} replay job into a stream`, () => replayJob(app, source, created));
      return { raw, runner, job };
    };
    const hot = await passes('hot');

    log('offloading every closed ledger to S3');
    const cold = await offloadAll(app, admin, source);
    log(
      `offloaded in ${cold.offloadSeconds.toFixed(1)} s; ${cold.ledgers} ledgers (${cold.entries} entries) ` +
        `now only in S3; missing objects: ${cold.missing.length}`,
    );
    const coldReads = await passes('cold');
    // Two readers on the same offloaded ledger share the broker's one read handle for it (apache/pulsar#18723).
    const twoReaders = await timed('cold raw reader, 2 readers per partition (events read in total)', () =>
      readRaw(client, source.topic, ends, 2),
    );
    const rebuilder = featureRebuilder();
    const rebuild = await timed('cold feature rebuild', () =>
      readThroughRunner(client, source.topic, ends, rebuilder.onEventIn),
    );
    log(`feature rows computed: ${rebuilder.rows()}`);

    const rebuildCount = Number(values['rebuild-count']);
    let product: Awaited<ReturnType<typeof rebuildPasses>> | undefined;
    if (rebuildCount > 0) {
      log(`product feature rebuild: publishing ${rebuildCount} transactions to a reference loop's stream`);
      const setup = await setUpRebuild(app, client, { count: rebuildCount, size, partitions, batching });
      created.push(...setup.created);
      product = await rebuildPasses(app, client, admin, setup, partitions, handlers, timed);
      log(
        `rebuild: training dataset ${product.datasetRows} rows in ${product.datasetParts} parts; prepare ` +
          `handler ${product.handlerSeconds.toFixed(1)} s summed over ${partitions} partitions ` +
          `(${((100 * product.handlerSeconds) / (partitions * product.product.seconds)).toFixed(0)}% of partitions x job time)`,
      );
    }

    const rows: string[][] = [
      ['read', 'hot ev/s', 'hot MB/s', 'hot s', 'cold ev/s', 'cold MB/s', 'cold s', 'cold/hot'],
    ];
    const row = (label: string, h: ReadFigures, c: ReadFigures) => {
      const rate = (f: ReadFigures) => f.events / f.seconds;
      rows.push([
        label,
        rate(h).toFixed(0),
        (h.bytes / h.seconds / 1e6).toFixed(1),
        h.seconds.toFixed(1),
        rate(c).toFixed(0),
        (c.bytes / c.seconds / 1e6).toFixed(1),
        c.seconds.toFixed(1),
        (rate(c) / rate(h)).toFixed(2),
      ]);
    };
    row('raw reader (reference)', hot.raw, coldReads.raw);
    row('replay runner read path', hot.runner, coldReads.runner);
    if (hot.job && coldReads.job) row('replay job into a stream', hot.job, coldReads.job);
    const widths = rows[0].map((_, column) => Math.max(...rows.map((r) => r[column].length)));
    process.stdout.write('\n');
    for (const r of rows)
      process.stdout.write(
        `${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`,
      );
    process.stdout.write(
      `\n2 raw readers per partition on S3-only ledgers: ${(twoReaders.events / twoReaders.seconds).toFixed(0)} ` +
        `events/s read in total, ${(twoReaders.events / twoReaders.seconds / (coldReads.raw.events / coldReads.raw.seconds)).toFixed(2)}x one reader per partition\n` +
        `feature rebuild from S3 (read + parse + FRAUD_FEATURES_V1): ${rebuild.seconds.toFixed(1)} s, ` +
        `${(rebuild.events / rebuild.seconds).toFixed(0)} events/s\n` +
        (product ? describeProductRebuild(product, published.count) : '') +
        `${published.count} events of ${size} B (+${partitions} tail events in the open ledgers), ${partitions} partitions; ` +
        `publish ${(published.count / published.seconds).toFixed(0)} events/s; offload ${cold.offloadSeconds.toFixed(1)} s; ` +
        `load average at the end ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n`,
    );
  } finally {
    clearTimeout(cap);
    await app.get(ReplayRunner).stop();
    await client.close();
    // Deleting a stream also deletes its offloaded ledgers from the bucket.
    for (const stream of created)
      await app
        .get(StreamCatalog)
        .delete(stream, stream, ACTOR)
        .catch((error: unknown) => log(`could not delete ${stream}: ${String(error)}`));
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
