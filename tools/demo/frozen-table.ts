import { changeOf, Interval, WorldConditions } from '@gyre/ml';
import type { FrozenVersusLoop } from './model-comparison';

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
const interval = (delta: Interval) =>
  `${signed(delta.estimate)} [${signed(delta.low)}, ${signed(delta.high)}]`;

/** What the world looked like in an epoch, in a few words. */
export function describeConditions(conditions: WorldConditions): string {
  const parts: string[] = [];
  if (conditions.categoryShift > 0) parts.push(`fraud moved ${Math.round(conditions.categoryShift * 100)}%`);
  if (conditions.newAttackShare > 0) parts.push(`new attack ${Math.round(conditions.newAttackShare * 100)}%`);
  return parts.length > 0 ? parts.join(', ') : 'baseline';
}

/**
 * The demo's closing table: per epoch, the frozen first model and the loop's serving model on the
 * same events, each difference (loop - frozen) with its 95% bootstrap interval and what it supports.
 */
export function formatFrozenVersusLoop(results: readonly FrozenVersusLoop[]): string {
  const header = ['epoch', 'world', 'loop', 'frauds', 'AUC frozen', 'AUC loop', 'loop - frozen [95% CI]', ''];
  const header2 = ['', '', '', '', 'logloss frozen', 'logloss loop', 'loop - frozen [95% CI]', ''];
  const rows = results.flatMap(({ epoch, conditions, servedBy, comparison: c }) => [
    [
      String(epoch),
      describeConditions(conditions),
      servedBy.map((version) => `v${version}`).join('+'),
      `${c.positives}/${c.examples}`,
      c.baseline.auc.toFixed(4),
      c.candidate.auc.toFixed(4),
      interval(c.aucDelta),
      isFrozenOnly(servedBy) ? 'same model' : changeOf(c.aucDelta, true),
    ],
    [
      '',
      '',
      '',
      '',
      c.baseline.logLoss.toFixed(4),
      c.candidate.logLoss.toFixed(4),
      interval(c.logLossDelta),
      isFrozenOnly(servedBy) ? '' : changeOf(c.logLossDelta, false),
    ],
  ]);
  const all = [header, header2, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 1 || column === 7 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(header2),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ].join('\n');
}

/** Every event of the epoch was served by v1, the frozen model itself: nothing to compare. */
function isFrozenOnly(servedBy: readonly number[]): boolean {
  return servedBy.length === 1 && servedBy[0] === 1;
}

/** A verdict readable in ten seconds: what the frozen model did, what the loop did, what is supported. */
export function frozenVersusLoopVerdict(results: readonly FrozenVersusLoop[]): string {
  const compared = results.filter((result) => !isFrozenOnly(result.servedBy));
  if (results.length === 0 || compared.length === 0)
    return 'Verdict: too few epochs to compare the loop with a frozen model.';
  const trend = (pick: (result: FrozenVersusLoop) => number) =>
    results.map((r) => pick(r).toFixed(3)).join(' -> ');
  const better = compared.filter((r) => changeOf(r.comparison.aucDelta, true) === 'improved').length;
  const worse = compared.filter((r) => changeOf(r.comparison.aucDelta, true) === 'worse').length;
  const last = compared[compared.length - 1];
  const lastAuc = changeOf(last.comparison.aucDelta, true);
  const lastLogLoss = changeOf(last.comparison.logLossDelta, false);
  return [
    `Verdict (epochs ${results[0].epoch}-${last.epoch}, live on the same events):`,
    `  frozen v1 AUC  ${trend((r) => r.comparison.baseline.auc)}`,
    `  the loop AUC   ${trend((r) => r.comparison.candidate.auc)}`,
    `  In epoch ${last.epoch} the loop's ${last.servedBy.map((v) => `v${v}`).join('+')} against frozen v1: AUC ${interval(last.comparison.aucDelta)} ` +
      `(${lastAuc}), log loss ${interval(last.comparison.logLossDelta)} (${lastLogLoss}).`,
    `  The loop's AUC was better in ${better}, worse in ${worse} and not clearly different in ` +
      `${compared.length - better - worse} of ${compared.length} epochs; "improved" only where the 95% interval excludes 0.`,
  ].join('\n');
}

/** Per epoch: the features that drifted most from v1's training data, prediction drift, calibration. */
export function formatMonitoring(results: readonly FrozenVersusLoop[]): string {
  const header = ['epoch', 'most drifted features (PSI vs epoch 1)', 'score PSI', 'ECE frozen', 'ECE loop'];
  const rows = results.map(({ epoch, monitoring: m }) => [
    String(epoch),
    m.features.map((f) => `${f.feature} ${f.psi.toFixed(2)}`).join(', '),
    m.scorePsi.toFixed(3),
    m.eceFrozen.toFixed(4),
    m.eceLoop.toFixed(4),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
