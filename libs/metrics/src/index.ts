/** @gyre/metrics: Prometheus text exposition and the process metrics every Gyre app serves at /metrics. */
export { renderPrometheusText, PROMETHEUS_CONTENT_TYPE } from './prometheus-text';
export type { MetricSample } from './prometheus-text';
export { Counter, Histogram, LATENCY_BUCKETS } from './histogram';
export { ProcessMetrics } from './process-metrics';
