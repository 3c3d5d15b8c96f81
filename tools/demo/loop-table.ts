import type { EpochLineage } from '@gyre/example-fraud-loop';

/** The per-epoch table the loop demo prints: what each epoch saw, what served it, what it trained. */
export function formatEpochTable(epochs: readonly EpochLineage[]): string {
  const header = [
    'epoch',
    'events',
    'examples',
    'served by',
    'live AUC',
    'live logloss',
    'trained',
    'held-out AUC',
    'logloss',
    'ECE',
  ];
  const fixed = (value: number | undefined, digits = 4) =>
    value === undefined ? '-' : value.toFixed(digits);
  const rows = epochs.map((epoch) => [
    String(epoch.epoch),
    String(epoch.events),
    String(epoch.examples),
    epoch.servedBy ? `v${epoch.servedBy.version}` : 'prior',
    fixed(epoch.live?.auc),
    fixed(epoch.live?.logLoss),
    epoch.trained ? `v${epoch.trained.version}` : '-',
    fixed(epoch.trained?.metrics.auc),
    fixed(epoch.trained?.metrics.logLoss),
    fixed(epoch.trained?.metrics.ece),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column])).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
