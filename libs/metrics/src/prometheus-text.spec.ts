import { renderPrometheusText } from './prometheus-text';

describe(renderPrometheusText.name, () => {
  it('writes HELP and TYPE once per metric, then one line per sample', () => {
    const text = renderPrometheusText([
      { name: 'process_uptime_seconds', help: 'Uptime.', type: 'gauge', value: 1.5 },
      { name: 'delay_seconds', help: 'Delay.', type: 'gauge', value: 0.01, labels: { quantile: '0.5' } },
      { name: 'delay_seconds', help: 'Delay.', type: 'gauge', value: 0.2, labels: { quantile: '0.99' } },
    ]);

    expect(text).toBe(
      [
        '# HELP process_uptime_seconds Uptime.',
        '# TYPE process_uptime_seconds gauge',
        'process_uptime_seconds 1.5',
        '# HELP delay_seconds Delay.',
        '# TYPE delay_seconds gauge',
        'delay_seconds{quantile="0.5"} 0.01',
        'delay_seconds{quantile="0.99"} 0.2',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and spells non-finite numbers as Prometheus does', () => {
    const text = renderPrometheusText([
      { name: 'odd', help: 'Odd\nhelp.', type: 'counter', value: Infinity, labels: { path: 'a"b\\c' } },
      { name: 'odd', help: 'Odd\nhelp.', type: 'counter', value: NaN },
    ]);

    expect(text).toBe('# HELP odd Odd\\nhelp.\n# TYPE odd counter\nodd{path="a\\"b\\\\c"} +Inf\nodd NaN\n');
  });

  it('writes a histogram as one family: HELP and TYPE once, then its _bucket, _sum and _count samples', () => {
    const text = renderPrometheusText([
      {
        name: 'latency_seconds',
        help: 'Latency.',
        type: 'histogram',
        suffix: '_bucket',
        value: 2,
        labels: { le: '0.1' },
      },
      {
        name: 'latency_seconds',
        help: 'Latency.',
        type: 'histogram',
        suffix: '_bucket',
        value: 3,
        labels: { le: '+Inf' },
      },
      { name: 'latency_seconds', help: 'Latency.', type: 'histogram', suffix: '_sum', value: 0.4 },
      { name: 'latency_seconds', help: 'Latency.', type: 'histogram', suffix: '_count', value: 3 },
    ]);

    expect(text).toBe(
      [
        '# HELP latency_seconds Latency.',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{le="0.1"} 2',
        'latency_seconds_bucket{le="+Inf"} 3',
        'latency_seconds_sum 0.4',
        'latency_seconds_count 3',
        '',
      ].join('\n'),
    );
  });
});
