import { h, fill, table } from '../dom';
import { formatBytes, formatRate } from '../format';
import { path } from '../api';
import type { PageContext } from '../page';
import type { PipelineStatus, PipelineSummary, StreamSample, StreamTierTotals, StreamView } from '../types';

interface Health {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string }>;
}

/** Health of Pulsar, Postgres and S3; each stream's rates, backlog and storage per tier; each pipeline's lag. */
export function overviewPage({ session, main, every }: PageContext): void {
  const health = h('section', { 'aria-labelledby': 'health-title' });
  const streams = h('section', { 'aria-labelledby': 'streams-title' });
  const pipelines = h('section', { 'aria-labelledby': 'pipelines-title' });
  fill(main, h('h1', {}, 'Overview'), health, streams, pipelines);

  every(3000, async () => {
    const report = (await fetch('/health', { cache: 'no-store' }).then((response) =>
      response.json(),
    )) as Health;
    const services = { ...report.info, ...report.error };
    fill(
      health,
      h('h2', { id: 'health-title' }, 'Health'),
      h(
        'ul',
        { class: 'health' },
        ...Object.entries(services).map(([name, { status }]) =>
          h('li', { class: status === 'up' ? 'up' : 'down', 'data-service': name }, `${name}: ${status}`),
        ),
      ),
    );
    const list = await session.api.get<StreamView[]>('/v1/streams');
    const rows = await Promise.all(
      list.slice(0, 50).map(async (stream) => {
        // Tiers come from a cache in the API (read from Pulsar at most once per 10 s per stream).
        const [samples, tiers] = await Promise.all([
          session.api.get<StreamSample[]>(path`/v1/streams/${stream.name}/samples`),
          session.api.get<StreamTierTotals>(path`/v1/streams/${stream.name}/tiers`),
        ]);
        return { stream, last: samples.at(-1), tiers };
      }),
    );
    fill(
      streams,
      h('h2', { id: 'streams-title' }, 'Streams'),
      table(
        'Streams with their rates, backlog and storage per tier',
        [
          [
            'Stream',
            ({ stream }) => h('a', { href: `#/streams/${encodeURIComponent(stream.name)}` }, stream.name),
          ],
          ['Rate in', ({ last }) => formatRate(last?.rateIn ?? 0)],
          ['Rate out', ({ last }) => formatRate(sum(last, 'rateOut'))],
          ['Backlog (entries)', ({ last }) => sum(last, 'backlog').toLocaleString('en')],
          [
            'BookKeeper',
            ({ stream, tiers }) =>
              h('span', { 'data-tier-bookkeeper': stream.name }, formatBytes(tiers.bookKeeper.bytes)),
          ],
          [
            'S3 (offloaded)',
            ({ stream, tiers }) => h('span', { 'data-tier-s3': stream.name }, formatBytes(tiers.s3.bytes)),
          ],
        ],
        rows,
        'No stream yet.',
      ),
    );
    if (!session.isAdmin) return fill(pipelines);
    const { pipelines: names } = await session.api.get<{ pipelines: PipelineSummary[] }>('/admin/pipelines');
    const statuses = await Promise.all(
      names.map((pipeline) =>
        session.api.get<PipelineStatus>(path`/admin/pipelines/${pipeline.name}/status`),
      ),
    );
    const stages = statuses.flatMap((status) =>
      status.stages.map((stage) => ({ pipeline: status.pipeline, stage })),
    );
    fill(
      pipelines,
      h('h2', { id: 'pipelines-title' }, 'Pipelines'),
      table(
        'Pipeline stages with their lag',
        [
          [
            'Pipeline',
            ({ pipeline }) => h('a', { href: `#/pipelines/${encodeURIComponent(pipeline)}` }, pipeline),
          ],
          ['Stage', ({ stage }) => stage.name],
          ['Lag', ({ stage }) => (stage.lag === null ? 'unknown' : stage.lag.toLocaleString('en'))],
          ['Processed', ({ stage }) => stage.processed.toLocaleString('en')],
          ['Dead-lettered', ({ stage }) => stage.failures.deadLettered.toLocaleString('en')],
          ['Workers', ({ stage }) => stage.workers.filter((worker) => !worker.stale).length],
        ],
        stages,
        'No pipeline yet.',
      ),
    );
  });
}

function sum(sample: StreamSample | undefined, field: 'rateOut' | 'backlog'): number {
  return Object.values(sample?.subscriptions ?? {}).reduce(
    (total, subscription) => total + subscription[field],
    0,
  );
}
