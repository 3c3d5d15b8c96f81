import { path } from '../api';
import { h, fill, table } from '../dom';
import { formatRate, formatSeconds } from '../format';
import type { PageContext } from '../page';
import { TimePlot } from '../plot';
import type { PipelineStatus, PipelineSummary } from '../types';
import { predictionLookup } from './prediction-lineage';
import { MAX_THROUGHPUT_SAMPLES, ProcessedSample, stageThroughput } from './stage-throughput';

/**
 * Pipelines (`#/pipelines[/<name>]`, admin keys): the list, and one pipeline's stages with their handler,
 * input, lag, throughput (from successive looks at the processed totals), failures and workers with their
 * last report, and a prediction's lineage looked up by event id.
 */
export function pipelinesPage(context: PageContext): void {
  const { session, main, params, every } = context;
  const [name] = params;
  if (!session.isAdmin)
    return fill(
      main,
      h('h1', {}, 'Pipelines'),
      h('p', { class: 'note' }, 'Pipelines are shown to admin keys only.'),
    );
  if (name === undefined) return pipelineList(context);

  const throughput = new TimePlot('Throughput per stage', 'events/s');
  const stages = h('section', { 'aria-labelledby': 'stages-title' });
  const samples: ProcessedSample[] = [];
  fill(
    main,
    h('h1', {}, 'Pipeline ', h('span', { class: 'name' }, name)),
    h('div', { class: 'plots' }, throughput.element),
    stages,
    predictionLookup(session, name),
  );

  every(2000, async () => {
    const status = await session.api.get<PipelineStatus>(path`/admin/pipelines/${name}/status`);
    samples.push({
      at: Date.now(),
      processed: Object.fromEntries(status.stages.map((stage) => [stage.name, stage.processed])),
    });
    if (samples.length > MAX_THROUGHPUT_SAMPLES) samples.shift();
    const series = stageThroughput(samples);
    throughput.update(series);
    const latest = (stage: string) => series.series.find((row) => row.label === stage)?.values.at(-1) ?? null;
    const now = Date.now();
    fill(
      stages,
      h('h2', { id: 'stages-title' }, `Stages (version ${status.version})`),
      table(
        'Stages with their handler, input, lag, throughput and failures',
        [
          ['Stage', (stage) => stage.name],
          ['Handler', (stage) => h('code', {}, stage.handler)],
          ['Input', (stage) => `${stage.input.stream} (${stage.input.subscription})`],
          ['Lag', (stage) => (stage.lag === null ? 'unknown' : stage.lag.toLocaleString('en'))],
          ['Processed', (stage) => h('span', { 'data-processed': stage.name }, String(stage.processed))],
          [
            'Throughput',
            (stage) => {
              const rate = latest(stage.name);
              return h('span', { 'data-throughput': stage.name }, rate === null ? '-' : formatRate(rate));
            },
          ],
          ['Retried', (stage) => stage.failures.retried],
          ['Dead-lettered', (stage) => stage.failures.deadLettered],
          ['In flight', (stage) => stage.inFlight],
        ],
        status.stages,
        'No stage.',
      ),
      ...status.stages.map((stage) =>
        h(
          'div',
          {},
          h('h3', {}, `Workers of ${stage.name}`),
          table(
            `Workers running ${stage.name}, with their last report`,
            [
              ['Worker', (worker) => h('code', {}, worker.worker)],
              ['State', (worker) => h('span', { 'data-worker-state': worker.worker }, worker.state)],
              ['Processed', (worker) => worker.processed],
              ['In flight', (worker) => worker.inFlight],
              [
                'Last seen',
                (worker) => `${formatSeconds(Math.max(0, (now - Date.parse(worker.lastSeen)) / 1000))} ago`,
              ],
            ],
            stage.workers,
            'No worker has reported this stage.',
          ),
        ),
      ),
    );
  });
}

function pipelineList({ session, main, every }: PageContext): void {
  const list = h('div');
  fill(main, h('h1', {}, 'Pipelines'), list);
  every(5000, async () => {
    const { pipelines } = await session.api.get<{ pipelines: PipelineSummary[] }>('/admin/pipelines');
    fill(
      list,
      table(
        'Pipelines',
        [['Pipeline', (row) => h('a', { href: `#/pipelines/${encodeURIComponent(row.name)}` }, row.name)]],
        pipelines,
        'No pipeline yet.',
      ),
    );
  });
}
