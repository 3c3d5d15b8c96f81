import { Client } from '@gyre/pulsar';
import { DataSource } from 'typeorm';
import { PrivateBroker, freeBrokerPorts } from '../../../tools/testing/private-broker';
import { createFreshDatabase, uniqueName, waitFor } from '../../../tools/testing';
import { collect, countById } from '../../../tools/testing/stages';
import { StageMetrics, StageRunner } from '@gyre/pipelines';
import {
  cardHistoryBreaks,
  featureRowCount,
  migratedDataSource,
  prepareStage,
  preparedBy,
  sendTransactions,
  transactions,
} from './prepare-stage-fixtures';

const EVENTS = 2000;
const PACE = { chunk: 40, everyMs: 100 }; // about 400 events/s, so the restart lands mid-stream

describe('stage workers across a broker restart under load (private broker)', () => {
  let broker: PrivateBroker;
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let dataSource: DataSource;
  const clients: Client[] = [];
  const runners: StageRunner[] = [];

  beforeAll(async () => {
    broker = await PrivateBroker.start(await freeBrokerPorts());
    // Producers that resend after a reconnect are deduplicated by the broker (producer name + sequence id).
    await broker.admin('POST', '/admin/v2/namespaces/public/default/deduplication', true);
    database = await createFreshDatabase();
    dataSource = await migratedDataSource(database.url);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.drain(5_000)));
    await Promise.all(clients.map((client) => client.close()));
    await dataSource?.destroy();
    await database?.drop();
    await broker?.stop({ wipe: true });
  }, 120_000);

  const newClient = () => {
    const client = new Client({
      serviceUrl: broker.serviceUrl,
      operationTimeoutSeconds: 10,
      backoff: { initialMs: 100, maxMs: 1000 },
    });
    clients.push(client);
    return client;
  };

  it('resumes by itself: every event handled, each recorded once in Postgres and published once by id', async () => {
    const pipeline = uniqueName('broker-restart');
    const topicOf = (stream: string) => `persistent://public/default/${pipeline}-${stream}`;
    const stage = prepareStage({ retry: { maxAttempts: 100, initialBackoffMs: 200, maxBackoffMs: 2000 } });
    const all = transactions(pipeline, EVENTS);
    const metrics = new StageMetrics(pipeline, 'prepare');
    const reconnected: string[] = [];
    for (const worker of ['a', 'b']) {
      const client = newClient();
      client.on('reconnected', (event) => reconnected.push(`${worker}:${event.kind}`));
      const runner = new StageRunner({
        client,
        pipeline,
        stage,
        handler: preparedBy(dataSource, worker, new Map()),
        topicOf,
        metrics,
      });
      runners.push(runner);
      await runner.start();
    }
    const observer = newClient();
    const outputs = await collect(observer, topicOf('features'));
    const dead = await collect(observer, `${topicOf('transactions')}-${stage.input.subscription}-DLQ`);

    // One producer for the whole run: it reconnects by itself and the broker deduplicates its resends,
    // as an application's long-lived producer would; a new producer per chunk could not reach a down broker.
    const producer = await observer.createProducer({
      topic: topicOf('transactions'),
      batchingEnabled: false,
      sendTimeoutMs: 0,
    });
    const publishing = (async () => {
      for (let from = 0; from < all.length; from += PACE.chunk) {
        await sendTransactions(producer, all.slice(from, from + PACE.chunk));
        await new Promise((resolve) => setTimeout(resolve, PACE.everyMs));
      }
    })();
    await waitFor(() => metrics.processed >= 300, { timeoutMs: 60_000, description: '300 events handled' });
    await broker.stop();
    const beforeRestart = metrics.processed;
    await broker.up();
    await publishing;

    await waitFor(async () => (await featureRowCount(dataSource, pipeline)) === EVENTS, {
      timeoutMs: 120_000,
      description: `all ${EVENTS} transactions recorded`,
    });
    await waitFor(() => countById(outputs.messages).size === EVENTS, {
      timeoutMs: 60_000,
      description: 'a features event for each transaction',
    });
    expect(beforeRestart).toBeLessThan(EVENTS);
    expect(reconnected).toEqual(expect.arrayContaining(['a:consumer', 'b:consumer']));
    expect(await cardHistoryBreaks(dataSource, pipeline, all)).toEqual([]);
    // A redelivered event may be published again, always under the same id and with the same features.
    const byId = new Map<string, string>();
    for (const message of outputs.messages) {
      const id = message.getProperties()['gyre-event-id'];
      const data = message.getData().toString();
      expect(byId.get(id) ?? data).toBe(data);
      byId.set(id, data);
    }
    expect(dead.messages).toHaveLength(0);
  }, 400_000);
});
