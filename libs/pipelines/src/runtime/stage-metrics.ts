/** Told of every handler attempt's duration; the app turns it into its latency histogram. */
export type HandlerSecondsListener = (pipeline: string, stage: string, seconds: number) => void;

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
  latency: { sumSeconds: number; count: number };
}

/** Plain counters of one stage in this process; the app decides how to expose them. */
export class StageMetrics {
  processed = 0;
  retried = 0;
  deadLettered = 0;
  lateEvents = 0;
  inFlight = 0;
  private latencySum = 0;
  private latencyCount = 0;

  constructor(
    readonly pipeline: string,
    readonly stage: string,
    private readonly onHandlerSeconds: HandlerSecondsListener = () => undefined,
  ) {}

  observeHandlerSeconds(seconds: number): void {
    this.latencySum += seconds;
    this.latencyCount += 1;
    this.onHandlerSeconds(this.pipeline, this.stage, seconds);
  }

  snapshot(): StageMetricsSnapshot {
    return {
      pipeline: this.pipeline,
      stage: this.stage,
      processed: this.processed,
      retried: this.retried,
      deadLettered: this.deadLettered,
      lateEvents: this.lateEvents,
      inFlight: this.inFlight,
      latency: { sumSeconds: this.latencySum, count: this.latencyCount },
    };
  }
}

/** One StageMetrics per pipeline stage, kept across restarts of the stage so counters never go back. */
export class StageMetricsRegistry {
  private readonly stages = new Map<string, StageMetrics>();
  private readonly listeners = new Set<HandlerSecondsListener>();

  /** Calls `listener` after every handler attempt of every stage; costs nothing when nobody listens. */
  onHandlerSeconds(listener: HandlerSecondsListener): void {
    this.listeners.add(listener);
  }

  for(pipeline: string, stage: string): StageMetrics {
    const key = `${pipeline}\u0000${stage}`;
    let metrics = this.stages.get(key);
    if (!metrics) {
      metrics = new StageMetrics(pipeline, stage, (...observed) => {
        for (const listener of this.listeners) listener(...observed);
      });
      this.stages.set(key, metrics);
    }
    return metrics;
  }

  snapshot(): StageMetricsSnapshot[] {
    return [...this.stages.values()].map((metrics) => metrics.snapshot());
  }
}
