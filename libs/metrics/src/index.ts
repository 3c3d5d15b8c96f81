/** @gyre/metrics: one prom-client registry per process and the process metrics every Gyre app serves at /metrics. */
export { LATENCY_BUCKETS, MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics-registry';
export { ProcessMetrics } from './process-metrics';
