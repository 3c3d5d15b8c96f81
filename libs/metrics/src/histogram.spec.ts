import { Counter, Histogram } from './histogram';
import { renderPrometheusText } from './prometheus-text';

describe(Histogram.name, () => {
  it('counts each observation in every bucket at or above it, with sum and count per label set', () => {
    const histogram = new Histogram('latency_seconds', 'Latency.', [0.1, 1]);
    histogram.observe(0.05, { route: '/a' });
    histogram.observe(0.5, { route: '/a' });

    expect(renderPrometheusText(histogram.samples())).toBe(
      [
        '# HELP latency_seconds Latency.',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{route="/a",le="0.1"} 1',
        'latency_seconds_bucket{route="/a",le="1"} 2',
        'latency_seconds_bucket{route="/a",le="+Inf"} 2',
        'latency_seconds_sum{route="/a"} 0.55',
        'latency_seconds_count{route="/a"} 2',
        '',
      ].join('\n'),
    );
  });
});

describe(Counter.name, () => {
  it('keeps one value per label set', () => {
    const counter = new Counter('requests_total', 'Requests.');
    counter.inc({ status: '200' });
    counter.inc({ status: '200' }, 2);
    counter.inc({ status: '404' });

    expect(counter.samples().map((s) => [s.labels, s.value])).toEqual([
      [{ status: '200' }, 3],
      [{ status: '404' }, 1],
    ]);
  });
});
