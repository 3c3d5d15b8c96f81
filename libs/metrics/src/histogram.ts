import type { MetricSample } from './prometheus-text';

/** Latency buckets in seconds, from 1 ms to 10 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A Prometheus histogram with one series per label set; observing is a few array writes. */
export class Histogram {
  private readonly series = new Map<
    string,
    { labels: Record<string, string>; counts: number[]; sum: number; count: number }
  >();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[] = LATENCY_BUCKETS,
  ) {}

  observe(value: number, labels: Record<string, string> = {}): void {
    const key = JSON.stringify(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) series.counts[i] += 1;
    series.sum += value;
    series.count += 1;
  }

  samples(): MetricSample[] {
    const base = { name: this.name, help: this.help, type: 'histogram' as const };
    return [...this.series.values()].flatMap(({ labels, counts, sum, count }) => [
      ...this.buckets.map((bound, i) => ({
        ...base,
        suffix: '_bucket' as const,
        value: counts[i],
        labels: { ...labels, le: String(bound) },
      })),
      { ...base, suffix: '_bucket' as const, value: count, labels: { ...labels, le: '+Inf' } },
      { ...base, suffix: '_sum' as const, value: sum, labels },
      { ...base, suffix: '_count' as const, value: count, labels },
    ]);
  }
}

/** A Prometheus counter with one value per label set. */
export class Counter {
  private readonly values = new Map<string, { labels: Record<string, string>; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Record<string, string> = {}, by = 1): void {
    const key = JSON.stringify(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  samples(): MetricSample[] {
    return [...this.values.values()].map(({ labels, value }) => ({
      name: this.name,
      help: this.help,
      type: 'counter' as const,
      value,
      labels,
    }));
  }
}
