import 'reflect-metadata';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GyreCoreModule } from '@gyre/core';
import { Client, MessageId } from '@gyre/pulsar';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { ReplayJobView, ReplayModule, ReplayRunner, ReplayService } from '@gyre/replay';
import { EVENT_PROPERTIES, RESERVED_PROPERTY_PREFIX, StreamCatalog, StreamView } from '@gyre/streams';
import { StreamOperationsModule, StreamStorage } from '@gyre/stream-operations';
import { randomBytes } from 'node:crypto';
import {
  offloadStream,
  testEndpoints,
  testLogger,
  uniqueName,
  waitFor,
  waitForOffloadedLedgersToLeaveBookKeeper,
} from '../../../tools/testing';
import { FAST_RUNNER } from './replay-test-app';

interface Event {
  key: string;
  data: Buffer;
  properties: Record<string, string>;
}

interface ReplayedEvent extends Event {
  eventId: string;
  /** The source ledger the runner read the event from (`gyre-replayed-from` = `ledger:entry:partition[:batch]`). */
  sourceLedger: number;
}

const endpoints = testEndpoints();
const KEYS = ['card-0', 'card-1', 'card-2', 'card-3', 'card-4', 'card-5'];
const PARTITIONS = 2;
const ROUNDS = 3;
const EVENTS_PER_ROUND = 24;

/** The replay domain plus the stream operations (stream-level offload policies, offload on demand, storage report). */
async function createApp(): Promise<INestApplicationContext> {
  @Module({
    imports: [
      GyreCoreModule.forRoot({ applicationName: 'gyre-replay-s3-test', migrationsRun: true }),
      StreamOperationsModule,
      ReplayModule.forRoot(FAST_RUNNER),
    ],
  })
  class ReplayFromS3TestModule {}
  const app = await NestFactory.createApplicationContext(ReplayFromS3TestModule, {
    logger: testLogger('error'),
  });
  await app.init();
  return app;
}

function makeEvents(round: number, count: number): Event[] {
  return Array.from({ length: count }, (_, i) => ({
    key: KEYS[i % KEYS.length],
    // Mixed scripts, JSON-special characters and random bytes: the payload must come back exactly.
    data: Buffer.from(
      JSON.stringify({ round, i, note: `ünïcødé ✓ "quoted" \\ ${randomBytes(24).toString('base64')}` }),
      'utf8',
    ),
    properties: { round: String(round), index: String(i) },
  }));
}

/** Each key's events in order: the order a replay must keep. */
function byKey<T extends { key: string }>(events: T[], view: (event: T) => unknown) {
  const keys = new Map<string, unknown[]>();
  for (const event of events) keys.set(event.key, [...(keys.get(event.key) ?? []), view(event)]);
  return Object.fromEntries([...keys].sort(([a], [b]) => a.localeCompare(b)));
}

function withoutLineage(properties: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties).filter(([name]) => !name.startsWith(RESERVED_PROPERTY_PREFIX)),
  );
}

describe('a replay of history that lives only in S3', () => {
  let app: INestApplicationContext;
  let client: Client;
  const admin = new PulsarAdmin({ adminUrl: endpoints.pulsarAdminUrl });
  const created: string[] = [];

  beforeAll(async () => {
    app = await createApp();
    client = new Client({ serviceUrl: endpoints.pulsarServiceUrl });
  });
  afterAll(async () => {
    await app?.get(ReplayRunner).stop();
    await client?.close();
    // Deleting the streams also deletes their offloaded ledgers from the bucket.
    for (const stream of created) await app?.get(StreamCatalog).delete(stream, stream, 'it');
    await app?.close();
  });

  async function publish(topic: string, events: Event[]): Promise<void> {
    const producer = await client.createProducer({ topic, batchingMaxPublishDelayMs: 5 });
    await Promise.all(
      events.map((event) =>
        producer.send({ data: event.data, partitionKey: event.key, properties: event.properties }),
      ),
    );
    await producer.close();
  }

  async function readStream(view: StreamView): Promise<ReplayedEvent[]> {
    const read: ReplayedEvent[] = [];
    for (let partition = 0; partition < view.partitions; partition++) {
      const reader = await client.createReader({
        topic: `${view.topic}-partition-${partition}`,
        startMessageId: MessageId.earliest(),
      });
      while (await reader.hasMessageAvailable()) {
        const message = await reader.readNext(10_000);
        const properties = message.getProperties();
        read.push({
          key: message.getPartitionKey() ?? '',
          data: message.getData(),
          properties: withoutLineage(properties),
          eventId: properties[EVENT_PROPERTIES.eventId],
          sourceLedger: Number(properties[EVENT_PROPERTIES.replayedFrom].split(':')[0]),
        });
      }
      await reader.close();
    }
    return read;
  }

  it('reads offloaded ledgers deleted from BookKeeper exactly as hot data: every event, byte for byte, in order per key', async () => {
    const catalog = app.get(StreamCatalog);
    const storage = app.get(StreamStorage);
    const source = await catalog.create(
      { name: uniqueName('it-s3-src'), ownerTeam: 'ml', partitions: PARTITIONS, schema: { type: 'object' } },
      'it',
    );
    created.push(source.name);
    // Offload only when the test asks, and drop offloaded ledgers from BookKeeper at once.
    await storage.updatePolicies(source.name, { offloadThresholdBytes: -1, offloadDeletionLagMs: 0 }, 'it');
    await waitFor(async () => (await storage.policies(source.name)).offloadDeletionLagMs === 0, {
      description: 'the stream-level offload policies to apply',
    });

    const published: Event[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const events = makeEvents(round, EVENTS_PER_ROUND);
      await publish(source.topic, events);
      published.push(...events);
      await admin.unloadTopic(source.topic); // closes each partition's ledger: the next round opens new ones
    }
    // One event per key lands in every partition's open ledger, which never moves: each partition's
    // last message then lies after its closed ledgers, so the offload takes all of them.
    const tail = makeEvents(ROUNDS + 1, KEYS.length);
    await publish(source.topic, tail);
    published.push(...tail);

    await offloadStream(storage, source.name, 'it');
    await waitForOffloadedLedgersToLeaveBookKeeper(admin, source.topic, PARTITIONS);
    const report = await storage.report(source.name);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const ledgers = report.ledgers.filter((ledger) => ledger.partition === partition);
      expect(ledgers.filter((ledger) => ledger.offloaded && !ledger.inBookKeeper)).toHaveLength(ROUNDS);
      expect(ledgers.at(-1)).toMatchObject({ offloaded: false, inBookKeeper: true });
    }
    const s3Only = report.ledgers.filter((ledger) => ledger.offloaded);
    expect(report.s3.missingLedgers).toEqual([]);

    const replays = app.get(ReplayService);
    const target = uniqueName('it-s3-dst');
    const job = await replays.create(
      {
        source: source.name,
        start: { kind: 'earliest' },
        end: { kind: 'lastAtStart' },
        target: { kind: 'stream', stream: target },
      },
      'it',
    );
    created.push(target);
    app.get(ReplayRunner).start();
    const done = await waitFor<ReplayJobView>(
      async () => {
        const view = await replays.get(job.id);
        if (view.state === 'failed') throw new Error(`replay failed: ${JSON.stringify(view)}`);
        return view.state === 'completed' ? view : undefined;
      },
      { timeoutMs: 90_000, description: 'the replay to complete' },
    );
    expect(done.events).toBe(published.length);

    const replayed = await readStream(await catalog.describe(target));
    expect(replayed).toHaveLength(published.length);
    expect(new Set(replayed.map((event) => event.eventId)).size).toBe(published.length);
    const s3LedgerIds = new Set(s3Only.map((ledger) => ledger.ledgerId));
    expect(replayed.filter((event) => s3LedgerIds.has(event.sourceLedger))).toHaveLength(
      ROUNDS * EVENTS_PER_ROUND,
    );
    const view = (event: Event) => ({ data: event.data.toString('hex'), properties: event.properties });
    expect(byKey(replayed, view)).toEqual(byKey(published, view));
  });
});
