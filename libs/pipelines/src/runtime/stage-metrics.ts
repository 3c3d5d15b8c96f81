/** Upper bounds (seconds) of the handler latency histogram: 1 ms to 30 s. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface StageMetricsSnapshot {
  pipeline: string;
  stage: string;
  processed: number;
  /** Failed handlings that were retried. */
  retried: number;
  /** Events sent to the dead-letter topic. */
  deadLettered: number;
  /** Events handled later than the stage's allowed lateness (flagged, never dropped). */
  lateEvents: number;
  inFlight: number;
  latency: { buckets: { le: number; count: number }[]; sumSeconds: number; count: number };
}

/** Plain counters of one stage in this process; the app decides how to expose them. */
export class StageMetrics {
  processed = 0;
  retried = 0;
  deadLettered = 0;
  lateEvents = 0;
  inFlight = 0;
  private readonly bucketCounts = LATENCY_BUCKETS_SECONDS.map(() => 0);
  private latencySum = 0;
  private latencyCount = 0;

  constructor(
    readonly pipeline: string,
    readonly stage: string,
  ) {}

  observeHandlerSeconds(seconds: number): void {
    this.latencySum += seconds;
    this.latencyCount += 1;
    const index = LATENCY_BUCKETS_SECONDS.findIndex((bound) => seconds <= bound);
    if (index >= 0) this.bucketCounts[index] += 1;
  }

  /** Buckets are cumulative, as Prometheus histograms are; +Inf is `count`. */
  snapshot(): StageMetricsSnapshot {
    let cumulative = 0;
    const buckets = LATENCY_BUCKETS_SECONDS.map((le, index) => {
      cumulative += this.bucketCounts[index];
      return { le, count: cumulative };
    });
    return {
      pipeline: this.pipeline,
      stage: this.stage,
      processed: this.processed,
      retried: this.retried,
      deadLettered: this.deadLettered,
      lateEvents: this.lateEvents,
      inFlight: this.inFlight,
      latency: { buckets, sumSeconds: this.latencySum, count: this.latencyCount },
    };
  }
}

/** One StageMetrics per pipeline stage, kept across restarts of the stage so counters never go back. */
export class StageMetricsRegistry {
  private readonly stages = new Map<string, StageMetrics>();

  for(pipeline: string, stage: string): StageMetrics {
    const key = `${pipeline}\u0000${stage}`;
    let metrics = this.stages.get(key);
    if (!metrics) {
      metrics = new StageMetrics(pipeline, stage);
      this.stages.set(key, metrics);
    }
    return metrics;
  }

  snapshot(): StageMetricsSnapshot[] {
    return [...this.stages.values()].map((metrics) => metrics.snapshot());
  }
}
