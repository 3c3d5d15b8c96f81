export interface MetricSample {
  /** The metric family: HELP and TYPE are written once per name. */
  name: string;
  help: string;
  type: 'gauge' | 'counter' | 'histogram';
  value: number;
  labels?: Record<string, string>;
  /** Histograms only: the sample's suffix within the family (_bucket, _sum, _count). */
  suffix?: '_bucket' | '_sum' | '_count';
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Prometheus text exposition format 0.0.4: HELP and TYPE once per metric name, then its samples. */
export function renderPrometheusText(samples: readonly MetricSample[]): string {
  const lines: string[] = [];
  const described = new Set<string>();
  for (const { name, help, type, value, labels, suffix = '' } of samples) {
    if (!described.has(name)) {
      lines.push(
        `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
        `# TYPE ${name} ${type}`,
      );
      described.add(name);
    }
    lines.push(`${name}${suffix}${formatLabels(labels)} ${formatValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${entries.map(([key, value]) => `${key}="${escape(value)}"`).join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
