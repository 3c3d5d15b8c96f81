import { PipelineService, PipelineStatusService, WorkerStatusStore } from '@gyre/pipelines';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { testEndpoints, waitFor } from '../../../tools/testing';
import { publishEvents } from '../../../tools/testing/stages';
import { useWorkersFixture } from './fixtures/workers-fixture';

describe('worker status reports', () => {
  const fixture = useWorkersFixture();
  let status: PipelineStatusService;

  beforeAll(() => {
    status = new PipelineStatusService(
      new PipelineService(fixture.dataSource),
      new WorkerStatusStore(fixture.dataSource),
      new PulsarAdmin({ adminUrl: testEndpoints().pulsarAdminUrl }),
      fixture.namespace,
    );
  });

  it('shows a running worker with its counters and the lag, and forgets it once it drains and exits', async () => {
    await new PipelineService(fixture.dataSource).save('status', {
      stages: [
        {
          name: 'copy',
          input: { stream: 'status-in', subscription: 'status-copy', initialPosition: 'Earliest' },
          handler: 'it.copy',
          outputs: ['status-out'],
          parameters: { delayMs: 0, output: 'status-out' },
        },
      ],
    });
    await publishEvents(fixture.client, fixture.namespace.topic('status-in'), 20);
    const { worker } = await fixture.workers.start();

    const view = await waitFor(
      async () => {
        const current = await status.status('status');
        const [copy] = current.stages;
        return copy.processed === 20 && copy.lag === 0 && current;
      },
      { timeoutMs: 60_000, description: 'the worker to report 20 events handled and no lag' },
    );

    const [copy] = view.stages;
    expect(copy.workers).toHaveLength(1);
    expect(copy.workers[0]).toMatchObject({
      state: 'running',
      lastReportedState: 'running',
      processed: 20,
      retried: 0,
      deadLettered: 0,
      stale: false,
      pid: worker.child.pid,
    });
    expect(Date.now() - Date.parse(copy.workers[0].lastSeen)).toBeLessThan(30_000);
    const later = await status.status('status', Date.now() + 60_000);
    // Not seen for over 30 s: shown as gone, with what it last reported.
    expect(later.stages[0]).toMatchObject({
      processed: 0,
      workers: [{ stale: true, state: 'gone', lastReportedState: 'running', processed: 20 }],
    });

    worker.child.kill('SIGTERM');
    expect(await worker.exit).toEqual({ code: 0, signal: null });
    expect((await status.status('status')).stages[0].workers).toEqual([]);
  });

  it('runs each stage only on the workers process WORKERS_STAGES gives it', async () => {
    const copy = (name: string, input: string, output: string) => ({
      name,
      input: { stream: input, subscription: `split-${name}`, initialPosition: 'Earliest' },
      handler: 'it.copy',
      outputs: [output],
      parameters: { delayMs: 0, output },
    });
    await new PipelineService(fixture.dataSource).save('split', {
      stages: [copy('first', 'split-in', 'split-mid'), copy('second', 'split-mid', 'split-out')],
    });
    await publishEvents(fixture.client, fixture.namespace.topic('split-in'), 20);
    const first = await fixture.workers.start({ WORKERS_STAGES: 'split/first' });
    const second = await fixture.workers.start({ WORKERS_STAGES: 'split/second,other/*' });

    const view = await waitFor(
      async () => {
        const current = await status.status('split');
        return current.stages.every((stage) => stage.processed === 20 && stage.lag === 0) && current;
      },
      { timeoutMs: 60_000, description: 'both stages to report 20 events handled and no lag' },
    );

    const runners = view.stages.map((stage) => ({
      stage: stage.name,
      pids: stage.workers.map((worker) => worker.pid),
    }));
    expect(runners).toEqual([
      { stage: 'first', pids: [first.worker.child.pid] },
      { stage: 'second', pids: [second.worker.child.pid] },
    ]);
  });
});
