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
 * The demo's closing table: per epoch, the frozen model (trained on the history) and the loop's serving model on the
 * same events, each difference (loop - frozen) with its 95% bootstrap interval and what it supports.
 */
export function formatFrozenVersusLoop(results: readonly FrozenVersusLoop[]): string {
  const header = [
    'epoch',
    'world',
    'served (shadow)',
    'frauds',
    'AUC frozen',
    'AUC loop',
    'loop - frozen [95% CI]',
    '',
  ];
  const header2 = ['', '', '', '', 'logloss frozen', 'logloss loop', 'loop - frozen [95% CI]', ''];
  const rows = results.flatMap(
    ({ epoch, frozenVersion, conditions, servedBy, shadowedBy, comparison: c }) => [
      [
        String(epoch),
        describeConditions(conditions),
        versions(servedBy) + (shadowedBy.length > 0 ? ` (${versions(shadowedBy)})` : ''),
        `${c.positives}/${c.examples}`,
        c.baseline.auc.toFixed(4),
        c.candidate.auc.toFixed(4),
        interval(c.aucDelta),
        isFrozenOnly(servedBy, frozenVersion) ? 'same model' : changeOf(c.aucDelta, true),
      ],
      [
        '',
        '',
        '',
        '',
        c.baseline.logLoss.toFixed(4),
        c.candidate.logLoss.toFixed(4),
        interval(c.logLossDelta),
        isFrozenOnly(servedBy, frozenVersion) ? '' : changeOf(c.logLossDelta, false),
      ],
    ],
  );
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

/** How the frozen model itself fared from the first epoch compared to the last (different events: unpaired). */
function frozenAging(results: readonly FrozenVersusLoop[]): string {
  const first = results[0];
  const last = results[results.length - 1];
  const { before, after, aucDelta } = last.frozenSinceFirst;
  const change = changeOf(aucDelta, true);
  const word = change === 'worse' ? 'it decayed' : change === 'improved' ? 'it rose' : 'no clear change';
  return (
    `  frozen v${first.frozenVersion} on its own: AUC ${before.auc.toFixed(3)} in epoch ${first.epoch} -> ` +
    `${after.auc.toFixed(3)} in epoch ${last.epoch}, ${interval(aucDelta)}: ${word}.`
  );
}

const versions = (list: readonly number[]) => list.map((version) => `v${version}`).join('+');

/** Every event of the epoch was served by the frozen model itself: nothing to compare. */
function isFrozenOnly(servedBy: readonly number[], frozenVersion: number): boolean {
  return servedBy.length === 1 && servedBy[0] === frozenVersion;
}

/**
 * A verdict readable in ten seconds: one headline on the last epoch compared (what its interval supports),
 * then both AUC trends and the tally of epochs.
 */
export function frozenVersusLoopVerdict(results: readonly FrozenVersusLoop[]): string {
  const compared = results.filter((result) => !isFrozenOnly(result.servedBy, result.frozenVersion));
  if (results.length === 0) return 'Verdict: too few epochs to compare the loop with a frozen model.';
  if (compared.length === 0)
    return (
      `Verdict: nothing to compare yet: the loop served frozen v${results[0].frozenVersion} itself in every ` +
      'epoch after the history (no challenger was promoted before an epoch was scored).'
    );
  const trend = (pick: (result: FrozenVersusLoop) => number) =>
    results.map((r) => pick(r).toFixed(3)).join(' -> ');
  const better = compared.filter((r) => changeOf(r.comparison.aucDelta, true) === 'improved').length;
  const worse = compared.filter((r) => changeOf(r.comparison.aucDelta, true) === 'worse').length;
  const last = compared[compared.length - 1];
  const c = last.comparison;
  const frozen = `frozen v${last.frozenVersion}`;
  const auc = changeOf(c.aucDelta, true);
  const logLoss = changeOf(c.logLossDelta, false);
  const headline =
    auc === 'improved' && logLoss !== 'worse'
      ? 'the loop beats the frozen model'
      : auc === 'worse' && logLoss !== 'improved'
        ? 'the frozen model beats the loop'
        : 'no clear change between the loop and the frozen model';
  return [
    `Verdict: ${headline} (epoch ${last.epoch}, ${versions(last.servedBy)} against ${frozen} on the same ` +
      `${c.examples} events: AUC ${c.candidate.auc.toFixed(3)} vs ${c.baseline.auc.toFixed(3)}, ` +
      `${interval(c.aucDelta)}; log loss ${interval(c.logLossDelta)}).`,
    ...(results.length > 1 ? [frozenAging(results)] : []),
    `  ${frozen.padEnd(14)} AUC ${trend((r) => r.comparison.baseline.auc)}`,
    `  ${'the loop'.padEnd(14)} AUC ${trend((r) => r.comparison.candidate.auc)}`,
    `  The loop's AUC was better in ${better}, worse in ${worse} and not clearly different in ` +
      `${compared.length - better - worse} of ${compared.length} epochs; "better" only where the 95% interval excludes 0.`,
  ].join('\n');
}
