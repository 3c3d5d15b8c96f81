import { PipelineService } from '@gyre/pipelines';
import { referenceLoopDefinition, referenceLoopStreams } from '../src';
import { Client, Message } from '@gyre/pulsar';
import { EVENT_PROPERTIES, StreamNamespace } from '@gyre/streams';
import { DataSource } from 'typeorm';
import {
  featureRowCount,
  migratedDataSource,
  publishTransactions,
  transactions,
} from './prepare-stage-fixtures';
import {
  createFreshDatabase,
  subscriptionBacklog,
  testPulsarClient,
  uniqueName,
  WorkerProcesses,
  waitFor,
} from '../../../tools/testing';
import { collect, countById, provisionTestNamespace } from '../../../tools/testing/stages';

/** The workers process as the demo runs it: the generic app with the loop composed in. */
const FRAUD_LOOP_WORKERS = 'examples/fraud-loop/src/main-workers.ts';
const EVENTS = 6000;
const KILL_AT = 1500;

/** prepare (Key_Shared by card, batches of 64) -> infer (Shared, batches of 32), both exactly-once. */
function onceLoop(prefix: string) {
  const streams = referenceLoopStreams(prefix);
  const { stages } = referenceLoopDefinition(streams, {
    minExamples: 1_000_000,
    seed: 'once',
    concurrency: 4,
  });
  return {
    streams,
    definition: {
      stages: stages
        .filter((stage) => stage.name === 'prepare' || stage.name === 'infer')
        .map((stage) => ({ ...stage, delivery: 'exactly-once', transactionTimeoutMs: 10_000 })),
    },
  };
}

describe('exactly-once stages across a kill -9 of the workers process', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let dataSource: DataSource;
  let namespace: StreamNamespace;
  let client: Client;
  const workers = new WorkerProcesses(FRAUD_LOOP_WORKERS, () => ({ databaseUrl: database.url, namespace }));

  beforeAll(async () => {
    database = await createFreshDatabase();
    dataSource = await migratedDataSource(database.url);
    namespace = await provisionTestNamespace();
    client = testPulsarClient();
  });

  afterEach(() => workers.killAll());

  afterAll(async () => {
    await client?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  const startWorker = async () => (await workers.start()).worker;

  const backlog = (stream: string, subscription: string) =>
    subscriptionBacklog(namespace.topic(stream), subscription);

  /** Every message on `topic` up to a marker sent now: what any consumer will ever read there. */
  async function readToEnd(topic: string): Promise<Message[]> {
    const { messages, consumer } = await collect(client, topic);
    const marker = uniqueName('end');
    const producer = await client.createProducer({ topic });
    await producer.send({ data: Buffer.from('{}'), properties: { [EVENT_PROPERTIES.eventId]: marker } });
    await producer.close();
    await waitFor(() => countById(messages).has(marker), {
      timeoutMs: 60_000,
      description: `the end of ${topic}`,
    });
    await consumer.close();
    return messages.filter((message) => message.getProperties()[EVENT_PROPERTIES.eventId] !== marker);
  }

  async function crashRun(workersAtStart: number): Promise<void> {
    const pipeline = uniqueName('once');
    const { streams, definition } = onceLoop(`${pipeline}-`);
    await new PipelineService(dataSource).save(pipeline, definition);
    const predictions = await collect(client, namespace.topic(streams.predictions));
    const all = transactions('once', EVENTS);
    for (let start = 0; start < EVENTS; start += 500)
      await publishTransactions(client, namespace.topic(streams.transactions), all.slice(start, start + 500));

    const first = await startWorker();
    for (let more = 1; more < workersAtStart; more++) await startWorker();
    await waitFor(() => countById(predictions.messages).size >= KILL_AT, {
      timeoutMs: 180_000,
      description: `${KILL_AT} predictions before the kill`,
    });
    first.child.kill('SIGKILL');
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(countById(predictions.messages).size).toBeLessThan(EVENTS);

    if (workersAtStart === 1) await startWorker();
    await waitFor(
      async () =>
        countById(predictions.messages).size === EVENTS &&
        (await backlog(streams.transactions, 'loop.prepare')) === 0 &&
        (await backlog(streams.features, 'loop.infer')) === 0,
      {
        timeoutMs: 300_000,
        intervalMs: 1000,
        description: `${EVENTS} predictions and both stages caught up`,
      },
    );

    for (const stream of [streams.features, streams.predictions]) {
      const messages = await readToEnd(namespace.topic(stream));
      const counts = countById(messages);
      expect({ stream, distinct: counts.size, total: messages.length }).toEqual({
        stream,
        distinct: EVENTS,
        total: EVENTS,
      });
    }
    expect(await featureRowCount(dataSource, pipeline)).toBe(EVENTS);
  }

  it('publishes every feature and prediction exactly once and records every feature row once, after a restart', () =>
    crashRun(1));

  it('holds the same with two workers on the Key_Shared and Shared subscriptions, one of them killed', () =>
    crashRun(2));
});
