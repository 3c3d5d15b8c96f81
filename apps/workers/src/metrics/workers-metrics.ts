import { Injectable, Logger } from '@nestjs/common';
import { MetricsRegistry } from '@gyre/metrics';
import { PipelineStatusService, StageMetricsRegistry, StageMetricsSnapshot } from '@gyre/pipelines';

/** Upper bounds (seconds) of the stage handler latency histogram: 1 ms to 30 s. */
export const STAGE_LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const STAGE_LABELS = ['pipeline', 'stage'] as const;
type StageLabel = (typeof STAGE_LABELS)[number];

/**
 * The workers' Prometheus metrics: the stage runtime's counters (read from its snapshot at scrape time),
 * handler latency (observed as it happens) and each stage's subscription lag (asked of Pulsar per scrape),
 * labelled by pipeline and stage only.
 */
@Injectable()
export class WorkersMetrics {
  private readonly logger = new Logger(WorkersMetrics.name);

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly stages: StageMetricsRegistry,
    private readonly status: PipelineStatusService,
  ) {
    this.stageCounter('gyre_stage_events_processed_total', 'Events handled, published and acked.', (s) => [
      [{}, s.processed],
    ]);
    this.stageCounter(
      'gyre_stage_failures_total',
      'Failed handlings, by what happened next.',
      (s) => [
        [{ outcome: 'retried' }, s.retried],
        [{ outcome: 'dead_lettered' }, s.deadLettered],
      ],
      ['outcome'],
    );
    this.stageCounter(
      'gyre_stage_late_events_total',
      'Events handled later than the stage allows (allowedLatenessMs): scored and flagged, not dropped.',
      (s) => [[{}, s.lateEvents]],
    );
    const snapshots = () => this.stages.snapshot();
    registry.gauge({
      name: 'gyre_stage_events_in_flight',
      help: 'Events this process is handling (or retrying in place) right now.',
      labelNames: STAGE_LABELS,
      collect() {
        this.reset();
        for (const s of snapshots()) this.set(labelsOf(s), s.inFlight);
      },
    });
    const latency = registry.histogram({
      name: 'gyre_stage_handler_duration_seconds',
      help: 'Time the stage handler took per attempt, in seconds.',
      labelNames: STAGE_LABELS,
      buckets: STAGE_LATENCY_BUCKETS,
      // A stage not yet timed still shows its (empty) series, as its counters do.
      collect() {
        for (const s of snapshots()) if (s.latency.count === 0) this.zero(labelsOf(s));
      },
    });
    stages.onHandlerSeconds((pipeline, stage, seconds) => latency.observe({ pipeline, stage }, seconds));
    this.lagGauge();
  }

  scrape(): Promise<string> {
    return this.registry.scrape();
  }

  /** A counter whose values are copied from the stage snapshots at each scrape. */
  private stageCounter(
    name: string,
    help: string,
    values: (s: StageMetricsSnapshot) => [Record<string, string>, number][],
    extraLabels: string[] = [],
  ): void {
    const snapshots = () => this.stages.snapshot();
    this.registry.counter<string>({
      name,
      help,
      labelNames: [...STAGE_LABELS, ...extraLabels],
      collect() {
        this.reset();
        for (const s of snapshots())
          for (const [labels, value] of values(s)) this.inc({ ...labelsOf(s), ...labels }, value);
      },
    });
  }

  /**
   * The lag of the pipelines this process runs; a stage whose lag is unknown (no topic or subscription
   * yet) gets no sample rather than 0, and a pipeline whose lag fails is left out of the scrape.
   */
  private lagGauge(): void {
    const lagsOf = (pipeline: string) =>
      this.status.lags(pipeline).catch((error: unknown) => {
        this.logger.warn({ msg: 'stage lag unavailable', pipeline, error: String(error) });
        return [];
      });
    const pipelines = () => [...new Set(this.stages.snapshot().map((s) => s.pipeline))];
    this.registry.gauge({
      name: 'gyre_stage_subscription_lag',
      help: "Events in the stage's input subscription not yet acknowledged (all workers).",
      labelNames: [...STAGE_LABELS, 'subscription'],
      async collect() {
        const lags = (await Promise.all(pipelines().map(lagsOf))).flat();
        this.reset();
        for (const { pipeline, stage, subscription, lag } of lags)
          if (lag !== null) this.set({ pipeline, stage, subscription }, lag);
      },
    });
  }
}

function labelsOf(snapshot: StageMetricsSnapshot): Record<StageLabel, string> {
  return { pipeline: snapshot.pipeline, stage: snapshot.stage };
}
