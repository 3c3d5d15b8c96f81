import { MetricsRegistry } from './metrics-registry';
import { ProcessMetrics } from './process-metrics';

describe(ProcessMetrics.name, () => {
  it('reads uptime, CPU, memory and event-loop delay at scrape time', async () => {
    const metrics = new MetricsRegistry();
    const process = new ProcessMetrics(metrics);

    const text = await metrics.scrape();
    process.onModuleDestroy();

    const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('process_uptime_seconds')).toBeGreaterThan(0);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value('nodejs_eventloop_delay_seconds\\{quantile="0.99"\\}')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
  });
});
