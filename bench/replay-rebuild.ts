/**
 * The replay benchmark's product feature rebuild: a replay job whose target is the reference loop's
 * prepare stage with a new feature-definition version, run by this process's ReplayRunner with the
 * reference loop's handlers (as a workers process runs it), beside two references on the same events:
 * a replay job into a plain stream (read + re-publish, no stage) and @gyre/ml's feature computation on
 * the runner's read path (no Postgres, no publishing).
 */
import { INestApplicationContext } from '@nestjs/common';
import { HandlerRegistry, isBatchHandler, PipelineService } from '../libs/pipelines/src';
import {
  referenceLoopDefinition,
  ReferenceLoopHandlers,
  referenceLoopStreams,
  ReferenceLoopStreams,
} from '../examples/fraud-loop/src';
import type { AnyStageHandler } from '../libs/pipelines/src';
import { Client } from '../libs/pulsar/src';
import { PulsarAdmin } from '../libs/pulsar-admin/src';
import { ReplayJobView, ReplayRunner, ReplayService } from '../libs/replay/src';
import type { ReplayTarget } from '../libs/replay/src';
import { StreamCatalog } from '../libs/streams/src';
import { uniqueName, waitFor } from '../tools/testing';
import {
  featureRebuilder,
  lastMessageIds,
  publishEvents,
  ReadFigures,
  readThroughRunner,
  transactionEvents,
} from './replay-workload';

const ACTOR = 'bench-replay';
export const REBUILD_DEFINITION = 'fraud.card-features@2';

/**
 * Lets this process's ReplayRunner run pipeline-stage targets with the reference loop's handlers, each
 * wrapped to add up the time spent inside it (summed over partitions running at once).
 */
export function useReferenceLoopHandlers(app: INestApplicationContext): { handlerSeconds(): number } {
  const loop = app.get(ReferenceLoopHandlers, { strict: false });
  let spentMs = 0;
  const time = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      spentMs += performance.now() - started;
    }
  };
  // A handler's batch form is kept: the rebuild hands prepare batches when it has one.
  const timed = loop.handlers.map((handler): AnyStageHandler =>
    isBatchHandler(handler)
      ? {
          name: handler.name,
          handleBatch: (events, context) => time(() => handler.handleBatch(events, context)),
        }
      : { name: handler.name, handle: (event, context) => time(() => handler.handle(event, context)) },
  );
  app.get(ReplayRunner).useHandlers(new HandlerRegistry(timed));
  return { handlerSeconds: () => spentMs / 1000 };
}

/** A replay job from the earliest event to the last at its start; timed from creation to completion. */
export async function timedReplayJob(
  app: INestApplicationContext,
  source: string,
  target: ReplayTarget,
): Promise<ReadFigures & { job: string }> {
  const replays = app.get(ReplayService);
  const started = performance.now();
  const job = await replays.create(
    { source, start: { kind: 'earliest' }, end: { kind: 'lastAtStart' }, target },
    ACTOR,
  );
  const done = await waitFor<ReplayJobView>(
    async () => {
      const view = await replays.get(job.id);
      if (view.state === 'failed') throw new Error(`replay failed: ${JSON.stringify(view.error)}`);
      return view.state === 'completed' ? view : undefined;
    },
    { timeoutMs: 20 * 60_000, intervalMs: 100, description: `replay job ${job.id} to complete` },
  );
  return {
    job: job.id,
    events: done.events,
    bytes: done.bytes,
    seconds: (performance.now() - started) / 1000,
  };
}

export interface RebuildSetup {
  pipeline: string;
  streams: ReferenceLoopStreams;
  /** Every stream made here, to delete at the end. */
  created: string[];
}

/**
 * The reference loop's streams (transactions with `partitions` partitions, like the replay source) and
 * its pipeline definition in Postgres; the live stages do not run here (no PipelineRuntime), so the
 * rebuild has the stack to itself. Publishes `count` transactions of `size` bytes to its transactions.
 */
export async function setUpRebuild(
  app: INestApplicationContext,
  client: Client,
  options: { count: number; size: number; partitions: number; batching: boolean },
): Promise<RebuildSetup & { published: number }> {
  const catalog = app.get(StreamCatalog);
  const streams = referenceLoopStreams(`${uniqueName('bench-rebuild')}-`);
  const created: string[] = [];
  for (const [role, name] of Object.entries(streams)) {
    const partitions = role === 'transactions' || role === 'features' ? options.partitions : 1;
    await catalog.create({ name, ownerTeam: 'bench', partitions, schema: { type: 'object' } }, ACTOR);
    created.push(name);
  }
  const pipeline = uniqueName('bench-rebuild');
  // Training never triggers (minExamples): only prepare matters here, and its stage never runs live.
  await app
    .get(PipelineService, { strict: false })
    .save(pipeline, referenceLoopDefinition(streams, { minExamples: 1_000_000_000, seed: 'bench' }));
  const topic = (await catalog.describe(streams.transactions)).topic;
  const published = await publishEvents(
    client,
    topic,
    transactionEvents(options.count, options.size),
    options.batching,
  );
  return { pipeline, streams, created, published: published.count };
}

/** The three passes over the rebuild's transactions: @gyre/ml in memory, a job into a stream, the product rebuild. */
export async function rebuildPasses(
  app: INestApplicationContext,
  client: Client,
  admin: PulsarAdmin,
  setup: RebuildSetup,
  partitions: number,
  handlers: { handlerSeconds(): number },
  timed: <T extends ReadFigures>(label: string, read: () => Promise<T>) => Promise<T>,
) {
  const catalog = app.get(StreamCatalog);
  const topic = (await catalog.describe(setup.streams.transactions)).topic;
  const ends = await lastMessageIds(admin, topic, partitions);
  const rebuilder = featureRebuilder();
  const inMemory = await timed('rebuild stream: @gyre/ml features on the runner read path', () =>
    readThroughRunner(client, topic, ends, rebuilder.onEventIn),
  );
  const copy = `${setup.streams.transactions}-copy`;
  setup.created.push(copy);
  const intoStream = await timed('rebuild stream: replay job into a stream', () =>
    timedReplayJob(app, setup.streams.transactions, { kind: 'stream', stream: copy }),
  );
  setup.created.push(`${setup.streams.features}.v2`);
  const handlerBefore = handlers.handlerSeconds();
  const product = await timed(`rebuild stream: replay job through prepare (${REBUILD_DEFINITION})`, () =>
    timedReplayJob(app, setup.streams.transactions, {
      kind: 'pipelineStage',
      pipeline: setup.pipeline,
      stage: 'prepare',
      featureDefinition: REBUILD_DEFINITION,
    }),
  );
  const handlerSeconds = handlers.handlerSeconds() - handlerBefore;
  const dataset = await app.get(ReplayService).dataset(product.job);
  return {
    inMemory,
    intoStream,
    product,
    handlerSeconds,
    datasetRows: dataset.rowCount,
    datasetParts: dataset.parts.length,
  };
}
