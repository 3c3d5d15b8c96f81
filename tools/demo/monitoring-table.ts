import type { MonitoringReport, WindowMonitoring } from '@gyre/example-fraud-loop';

const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined ? '-' : value.toFixed(digits);

/**
 * A crossed threshold in a few characters, e.g. "featurePsi(amount_z) 0.31>0.25" or "liveAuc 0.59<0.7" (live AUC
 * is a floor). The value gets the digits that tell it from its threshold (0.0544 against 0.05, not "0.05>0.05").
 */
function describeCrossing(crossing: WindowMonitoring['crossings'][number]): string {
  const what = crossing.feature ? `${crossing.measure}(${crossing.feature})` : crossing.measure;
  let digits = 2;
  while (digits < 6 && Number(crossing.value.toFixed(digits)) === crossing.threshold) digits += 1;
  const sign = crossing.measure === 'liveAuc' ? '<' : '>';
  return `${what} ${crossing.value.toFixed(digits)}${sign}${crossing.threshold}`;
}

/**
 * The API's model monitoring per epoch (GET /admin/monitoring, epoch windows): each served version, and the
 * challenger that scored the same events in shadow (marked "shadow", under the served row), each against its
 * own training rows, as an operator reads it; the demo computes none of these figures itself.
 */
export function formatApiMonitoring(report: MonitoringReport): string {
  const header = [
    'epoch',
    'version',
    'labelled',
    'most drifted feature (PSI)',
    'score PSI',
    'ECE',
    'live AUC',
    'logloss',
    'thresholds crossed',
  ];
  const windows = [...report.models].sort(
    (a, b) =>
      (a.epoch ?? 0) - (b.epoch ?? 0) ||
      Number(a.role === 'shadow') - Number(b.role === 'shadow') ||
      a.modelVersion - b.modelVersion,
  );
  const rows = windows.map((w) => [
    String(w.epoch ?? '-'),
    w.role === 'shadow' ? `v${w.modelVersion} shadow` : `v${w.modelVersion}`,
    `${w.labelled}/${w.predictions}`,
    w.featureDrift.length > 0 ? `${w.featureDrift[0].feature} ${w.featureDrift[0].psi.toFixed(2)}` : '-',
    fixed(w.predictionPsi, 3),
    fixed(w.calibration?.ece, 4),
    fixed(w.live?.auc, 4),
    fixed(w.live?.logLoss, 4),
    w.crossings.map(describeCrossing).join(', ') || '-',
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 1 || column === 3 || column === 8
          ? cell.padEnd(widths[column])
          : cell.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
