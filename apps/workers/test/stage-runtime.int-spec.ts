import { deriveOutputId, PipelineService } from '@gyre/pipelines';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { testEndpoints, waitFor } from '../../../tools/testing';
import { collect, countById, publishEvents } from '../../../tools/testing/stages';
import { useWorkersFixture } from './fixtures/workers-fixture';

/** A pipeline of one `it.copy` stage from `<prefix>-in` to `output`, reading the stream from its start. */
function copyPipeline(prefix: string, options: { output?: string; delayMs: number; concurrency: number }) {
  const output = options.output ?? `${prefix}-out`;
  return {
    stages: [
      {
        name: 'copy',
        input: { stream: `${prefix}-in`, subscription: `${prefix}-copy`, initialPosition: 'Earliest' },
        handler: 'it.copy',
        outputs: [output],
        concurrency: options.concurrency,
        parameters: { delayMs: options.delayMs, output },
      },
    ],
  };
}

const outputId = (pipeline: string, stream: string, n: number) =>
  deriveOutputId({ inputId: `evt-${n}`, pipeline, stage: 'copy', epoch: '', stream, part: '0' });

describe('workers running pipeline stages', () => {
  const fixture = useWorkersFixture();
  const { workers } = fixture;
  let pipelines: PipelineService;

  beforeAll(() => {
    pipelines = new PipelineService(fixture.dataSource);
  });

  /** A worker process (the workers app with the it.copy handler) on the test database and namespace. */
  const startWorker = () => workers.start({ WORKERS_DRAIN_TIMEOUT_MS: '15000', LOG_LEVEL: 'info' });

  async function inFlight(port: number, pipeline: string): Promise<number> {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((response) => response.text());
    const match = new RegExp(
      `^gyre_stage_events_in_flight\\{pipeline="${pipeline}",stage="copy"\\} (\\S+)$`,
      'm',
    ).exec(text);
    return match ? Number(match[1]) : -1;
  }

  async function lag(port: number, pipeline: string, subscription: string): Promise<number> {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((response) => response.text());
    const match = new RegExp(
      `^gyre_stage_subscription_lag\\{pipeline="${pipeline}",stage="copy",subscription="${subscription}"\\} (\\S+)$`,
      'm',
    ).exec(text);
    return match ? Number(match[1]) : -1;
  }

  it('loses nothing when a worker is killed with SIGKILL mid-stream: a second worker finishes the backlog', async () => {
    await pipelines.save('crash', copyPipeline('crash', { delayMs: 10, concurrency: 4 }));
    const outputs = await collect(fixture.client, fixture.namespace.topic('crash-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('crash-in'), 300);
    const { worker: first } = await startWorker();
    await waitFor(() => countById(outputs.messages).size >= 30, {
      timeoutMs: 60_000,
      description: 'the first 30 outputs',
    });

    first.child.kill('SIGKILL');
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
    const beforeSecond = countById(outputs.messages).size;
    expect(beforeSecond).toBeLessThan(300);
    await startWorker();

    const counts = await waitFor(
      () => countById(outputs.messages).size === 300 && countById(outputs.messages),
      {
        timeoutMs: 90_000,
        description: 'an output for each of the 300 events',
      },
    );
    expect([...counts.keys()].sort()).toEqual(
      Array.from({ length: 300 }, (_, n) => outputId('crash', 'crash-out', n)).sort(),
    );
    // Redelivered in-flight work may publish an output twice; it carries the same id, so a sink counts it once.
    expect(outputs.messages.length).toBeGreaterThanOrEqual(300);
  });

  it('drains on SIGTERM: finishes and acks the in-flight events, takes no more, and exits 0', async () => {
    await pipelines.save('drain', copyPipeline('drain', { delayMs: 1500, concurrency: 3 }));
    const outputs = await collect(fixture.client, fixture.namespace.topic('drain-out'));
    await publishEvents(fixture.client, fixture.namespace.topic('drain-in'), 20);
    const { worker, port } = await startWorker();
    await waitFor(async () => (await inFlight(port, 'drain')) === 3, {
      timeoutMs: 60_000,
      description: 'three events in flight',
    });

    // The 20 events are unacknowledged (3 in flight for 1.5 s, 17 waiting) and /metrics reports them as lag.
    const reported = await lag(port, 'drain', 'drain-copy');
    expect(reported).toBeGreaterThanOrEqual(17);
    expect(reported).toBeLessThanOrEqual(20);

    worker.child.kill('SIGTERM');

    expect(await worker.exit).toEqual({ code: 0, signal: null });
    expect(worker.output().stdout).toContain('"msg":"stages drained","signal":"SIGTERM"');
    await waitFor(() => outputs.messages.length === 3, { description: 'the three in-flight outputs' });
    const admin = new PulsarAdmin({ adminUrl: testEndpoints().pulsarAdminUrl });
    await waitFor(
      async () =>
        (await admin.topicStats(fixture.namespace.topic('drain-in'))).subscriptions['drain-copy']
          ?.msgBacklog === 17,
      { description: 'a backlog of the 17 events never started' },
    );
    expect(countById(outputs.messages).size).toBe(3);
  });

  it('picks up a changed pipeline from Postgres without a restart', async () => {
    await pipelines.save(
      'change',
      copyPipeline('change', { output: 'change-a', delayMs: 0, concurrency: 2 }),
    );
    const toA = await collect(fixture.client, fixture.namespace.topic('change-a'));
    const toB = await collect(fixture.client, fixture.namespace.topic('change-b'));
    const { worker } = await startWorker();
    await publishEvents(fixture.client, fixture.namespace.topic('change-in'), 5);
    await waitFor(() => countById(toA.messages).size === 5, {
      timeoutMs: 60_000,
      description: 'five outputs to change-a',
    });

    const changed = await pipelines.save(
      'change',
      copyPipeline('change', { output: 'change-b', delayMs: 0, concurrency: 2 }),
    );
    expect(changed.version).toBe(2);
    await waitFor(() => worker.output().stdout.includes('"msg":"stage stopped: its pipeline changed"'), {
      description: 'the worker to restart the stage',
    });
    const producer = await fixture.client.createProducer({
      topic: fixture.namespace.topic('change-in'),
      batchingEnabled: false,
    });
    await producer.send({ data: Buffer.from('{"n":5}'), properties: { 'gyre-event-id': 'evt-5' } });
    await producer.close();

    await waitFor(() => countById(toB.messages).size === 1, {
      timeoutMs: 30_000,
      description: 'the output to change-b',
    });
    expect([...countById(toB.messages).keys()]).toEqual([outputId('change', 'change-b', 5)]);
    expect(countById(toA.messages).size).toBe(5);
    expect(worker.child.exitCode).toBeNull();
  });
});
