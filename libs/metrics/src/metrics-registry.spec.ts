import { register } from 'prom-client';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics-registry';

describe(MetricsRegistry.name, () => {
  it("keeps each process's metrics to itself: two registries take the same name, the global one stays empty", async () => {
    const api = new MetricsRegistry();
    const workers = new MetricsRegistry();

    api.counter({ name: 'gyre_requests_total', help: 'Requests.' }).inc();
    workers.counter({ name: 'gyre_requests_total', help: 'Requests.' }).inc(2);

    expect(await api.scrape()).toContain('gyre_requests_total 1\n');
    expect(await workers.scrape()).toContain('gyre_requests_total 2\n');
    expect(register.getMetricsAsArray()).toEqual([]);
  });

  it('writes HELP and TYPE once per family, escapes label values and help, in text format 0.0.4', async () => {
    const metrics = new MetricsRegistry();
    const odd = metrics.counter({ name: 'odd_total', help: 'Odd\nhelp.', labelNames: ['path'] });
    odd.inc({ path: 'a"b\\c' });
    odd.inc({ path: 'plain' }, 2);

    expect(await metrics.scrape()).toBe(
      [
        '# HELP odd_total Odd\\nhelp.',
        '# TYPE odd_total counter',
        'odd_total{path="a\\"b\\\\c"} 1',
        'odd_total{path="plain"} 2',
        '',
      ].join('\n'),
    );
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('gives histograms the latency buckets from 1 ms to 10 s unless told otherwise', async () => {
    const metrics = new MetricsRegistry();
    metrics.histogram({ name: 'latency_seconds', help: 'Latency.' }).observe(0.004);

    const text = await metrics.scrape();

    expect(text).toContain('latency_seconds_bucket{le="0.0025"} 0\n');
    expect(text).toContain('latency_seconds_bucket{le="0.005"} 1\n');
    expect(text).toContain('latency_seconds_bucket{le="10"} 1\n');
    expect(text).toContain('latency_seconds_count 1\n');
  });
});
