import type { EpochSummary, RoleChange } from '@gyre/example-fraud-loop';

/** The role changes that matter to a reader: a version trained in, promoted, or brought back. */
function describeChange(change: RoleChange): string | undefined {
  if (change.fromRole === null) return `v${change.version} trained -> ${change.toRole}`;
  if (change.toRole !== 'champion') return undefined;
  if (change.fromRole === 'challenger') {
    const how = change.actor.startsWith('gyre:') ? 'auto' : 'by an admin';
    const c = change.comparison;
    const figures =
      c && c.scores.champion.logLoss !== null && c.scores.challenger.logLoss !== null
        ? `: log loss ${c.scores.champion.logLoss.toFixed(4)} (v${c.champion}) -> ` +
          `${c.scores.challenger.logLoss.toFixed(4)} on ${c.maturedEvents} matured events`
        : '';
    return `v${change.version} promoted (${how})${figures}`;
  }
  return `v${change.version} rolled back to champion`;
}

/**
 * Per epoch, from GET /admin/epochs: the versions that served (events each), the challenger in shadow, and the
 * role changes made while it was open.
 */
export function formatChampionTable(
  epochs: readonly Pick<EpochSummary, 'epoch' | 'scoredBy' | 'roleChanges'>[],
): string {
  const header = ['epoch', 'served by (events)', 'shadow', 'role changes'];
  const rows = epochs.map(({ epoch, scoredBy, roleChanges }) => {
    const byVersion = new Map<string, number>();
    const shadows = new Map<number, number>();
    for (const scoring of scoredBy) {
      const name = scoring.version === null ? 'prior' : `v${scoring.version}`;
      byVersion.set(name, (byVersion.get(name) ?? 0) + scoring.events);
      if (scoring.shadowVersion !== null)
        shadows.set(scoring.shadowVersion, (shadows.get(scoring.shadowVersion) ?? 0) + scoring.events);
    }
    return [
      String(epoch),
      [...byVersion].map(([name, count]) => `${name} ${count}`).join(', ') || '-',
      [...shadows].map(([version, count]) => `v${version} ${count}`).join(', ') || '-',
      roleChanges.flatMap((change) => describeChange(change) ?? []).join('; ') || '-',
    ];
  });
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** One line for the verdict: how many challengers won their place, and who serves now. */
export function championVerdict(changes: readonly RoleChange[]): string {
  const promoted = changes.filter((c) => c.toRole === 'champion' && c.fromRole === 'challenger');
  const trained = changes.filter((c) => c.fromRole === null && c.toRole === 'challenger');
  const champion = [...changes].reverse().find((c) => c.toRole === 'champion');
  return (
    `  Champion/challenger: ${promoted.length} of ${trained.length} challengers beat the champion on the same ` +
    `matured events and were promoted; v${champion?.version ?? '?'} serves now.`
  );
}
