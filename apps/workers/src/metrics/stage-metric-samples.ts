import type { StageLag, StageMetricsSnapshot } from '@gyre/pipelines';
import type { MetricSample } from '@gyre/metrics';

const LATENCY = 'gyre_stage_handler_duration_seconds';
const LATENCY_HELP = 'Time the stage handler took per attempt, in seconds.';

/**
 * The stage runtime's counters as Prometheus samples, labelled by pipeline and stage. Samples are
 * grouped by metric name, as the text format requires each family's lines to be together.
 */
export function stageMetricSamples(snapshots: readonly StageMetricsSnapshot[]): MetricSample[] {
  const of = (pick: (s: StageMetricsSnapshot) => MetricSample[]) => snapshots.flatMap(pick);
  const counter = (
    name: string,
    help: string,
    value: number,
    labels: Record<string, string>,
  ): MetricSample => ({
    name,
    help,
    type: 'counter',
    value,
    labels,
  });
  return [
    ...of((s) => [
      counter(
        'gyre_stage_events_processed_total',
        'Events handled, published and acked.',
        s.processed,
        labelsOf(s),
      ),
    ]),
    ...of((s) => [
      counter('gyre_stage_failures_total', 'Failed handlings, by what happened next.', s.retried, {
        ...labelsOf(s),
        outcome: 'retried',
      }),
      counter('gyre_stage_failures_total', 'Failed handlings, by what happened next.', s.deadLettered, {
        ...labelsOf(s),
        outcome: 'dead_lettered',
      }),
    ]),
    ...of((s) => [
      counter(
        'gyre_stage_late_events_total',
        'Events handled later than the stage allows (allowedLatenessMs): scored and flagged, not dropped.',
        s.lateEvents,
        labelsOf(s),
      ),
    ]),
    ...of((s) => [
      {
        name: 'gyre_stage_events_in_flight',
        help: 'Events this process is handling (or retrying in place) right now.',
        type: 'gauge' as const,
        value: s.inFlight,
        labels: labelsOf(s),
      },
    ]),
    ...of((s) => [
      ...s.latency.buckets.map((bucket) =>
        latency('_bucket', bucket.count, { ...labelsOf(s), le: String(bucket.le) }),
      ),
      latency('_bucket', s.latency.count, { ...labelsOf(s), le: '+Inf' }),
      latency('_sum', s.latency.sumSeconds, labelsOf(s)),
      latency('_count', s.latency.count, labelsOf(s)),
    ]),
  ];
}

function latency(
  suffix: MetricSample['suffix'],
  value: number,
  labels: Record<string, string>,
): MetricSample {
  return { name: LATENCY, help: LATENCY_HELP, type: 'histogram', suffix, value, labels };
}

function labelsOf(snapshot: StageMetricsSnapshot): Record<string, string> {
  return { pipeline: snapshot.pipeline, stage: snapshot.stage };
}

/**
 * Each stage's subscription lag (Pulsar's backlog, all partitions) as a gauge; a stage whose lag is
 * unknown (no topic or subscription yet) gets no sample rather than 0.
 */
export function stageLagSamples(lags: readonly StageLag[]): MetricSample[] {
  return lags.flatMap(({ pipeline, stage, subscription, lag }) =>
    lag === null
      ? []
      : [
          {
            name: 'gyre_stage_subscription_lag',
            help: "Events in the stage's input subscription not yet acknowledged (all workers).",
            type: 'gauge' as const,
            value: lag,
            labels: { pipeline, stage, subscription },
          },
        ],
  );
}
