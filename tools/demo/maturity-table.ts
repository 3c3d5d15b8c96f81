import type { EpochMaturity, MaturedMetrics } from '@gyre/example-fraud-loop';

const cell = (m: MaturedMetrics) =>
  `${Math.round(m.share * 100)}% ${m.auc === null ? '  -   ' : m.auc.toFixed(4)}`;

/** Per epoch: the share of its events labelled, and the served model's AUC on them, at 1 day, 7 days and now. */
export function formatLabelMaturity(epochs: readonly EpochMaturity[]): string {
  const header = ['epoch', 'events', 'labelled, AUC at 1 day', 'at 7 days', 'final'];
  const rows = epochs.map((e) => [
    String(e.epoch),
    String(e.events),
    cell(e.horizons['1d']),
    cell(e.horizons['7d']),
    cell(e.horizons.final),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((c, column) => c.padStart(widths[column])).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
