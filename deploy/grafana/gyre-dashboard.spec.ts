import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PulsarClientEvents } from '@gyre/core';
import type { StreamProducers } from '@gyre/ingest';
import { MetricsRegistry } from '@gyre/metrics';
import { PipelineStatusService, StageMetricsRegistry } from '@gyre/pipelines';
import type { Client } from '@gyre/pulsar';
import { ApiMetrics } from '../../apps/api/src/metrics/api-metrics';
import { WorkersMetrics } from '../../apps/workers/src/metrics/workers-metrics';
import { metricFamilies } from '../../tools/testing/metric-families';

interface Panel {
  title: string;
  targets: Array<{ expr: string }>;
}

const dashboard = JSON.parse(readFileSync(join(__dirname, 'gyre-dashboard.json'), 'utf8')) as {
  panels: Panel[];
};

/** The families Gyre's API and workers export, as their /metrics scrapes name them (with histogram series). */
async function exportedFamilies(): Promise<Set<string>> {
  const api = new MetricsRegistry();
  const producers = { inFlightEvents: 0, observe: () => undefined } as unknown as StreamProducers;
  new ApiMetrics(api, producers);
  const client = { on: () => undefined } as unknown as Client;
  new PulsarClientEvents(client, api);
  const workers = new MetricsRegistry();
  const lags = { lags: async () => [] } as unknown as PipelineStatusService;
  new WorkersMetrics(workers, new StageMetricsRegistry(), lags);
  new PulsarClientEvents(client, workers);
  const families = [...metricFamilies(await api.scrape()), ...metricFamilies(await workers.scrape())];
  return new Set(
    families.flatMap(({ name, type }) =>
      type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
    ),
  );
}

/** Metric names in a PromQL expression: identifiers not followed by "(" (functions) and not label names or keywords. */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  const withoutGroupings = withoutStrings.replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  const withoutSelectors = withoutGroupings.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  return [...withoutSelectors.matchAll(/\b([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)]
    .map((match) => match[1])
    .filter((name) => !/^\d/.test(name));
}

describe('deploy/grafana/gyre-dashboard.json', () => {
  it('queries only metrics that Gyre exports', async () => {
    const exported = await exportedFamilies();

    const queried = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) =>
        metricsIn(target.expr).map((metric) => ({ panel: panel.title, metric })),
      ),
    );

    expect(queried.length).toBeGreaterThan(10);
    expect(queried.filter(({ metric }) => !exported.has(metric))).toEqual([]);
  });

  it('covers ingest, publish latency, subscription lag, stage throughput and failures, and dead letters', () => {
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join('\n');

    for (const metric of [
      'gyre_api_published_events_total',
      'gyre_api_problems_total',
      'gyre_api_publish_duration_seconds_bucket',
      'gyre_stage_subscription_lag',
      'gyre_stage_events_processed_total',
      'gyre_stage_failures_total{outcome="dead_lettered"}',
    ])
      expect(exprs).toContain(metric);
  });
});

describe('metricsIn', () => {
  it('finds metric names, not functions, label names, grouping labels or ranges', () => {
    expect(
      metricsIn(
        'histogram_quantile(0.99, sum by (le, stage) (rate(gyre_x_bucket{outcome="ok"}[5m]))) / gyre_y',
      ),
    ).toEqual(['gyre_x_bucket', 'gyre_y']);
  });
});
