import type { RoleChange } from '@gyre/example-fraud-loop';
import type { DataSource } from 'typeorm';

/** How many of an epoch's events a version served (null: the prior, before any model) and shadowed. */
export interface ServedCount {
  readonly epoch: number;
  readonly version: number | null;
  readonly served: number;
  readonly shadowVersion: number | null;
}

/** An epoch's opening time, to place each role change in the epoch it happened in. */
export interface EpochOpening {
  readonly epoch: number;
  readonly openedAt: string;
}

/** Per epoch: which version served how many events, and which challenger scored them in shadow. */
export async function servedCounts(dataSource: DataSource, pipeline: string): Promise<ServedCount[]> {
  const rows = (await dataSource.query(
    `SELECT (prediction->>'epoch')::int AS epoch, (prediction->>'modelVersion')::int AS version,
            (prediction->'shadow'->>'modelVersion')::int AS shadow, count(*)::int AS served
       FROM gyre_loop_joins WHERE pipeline = $1 AND prediction IS NOT NULL
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [pipeline],
  )) as { epoch: number; version: number | null; shadow: number | null; served: number }[];
  return rows.map((row) => ({
    epoch: row.epoch,
    version: row.version,
    served: row.served,
    shadowVersion: row.shadow,
  }));
}

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

/** The epoch a change happened in: the last one opened at or before it. */
function epochAt(epochs: readonly EpochOpening[], at: string): number {
  const opened = epochs.filter((epoch) => epoch.openedAt <= at);
  return opened.length > 0 ? opened[opened.length - 1].epoch : (epochs[0]?.epoch ?? 1);
}

/** Per epoch: the versions that served (events each), the challenger in shadow, and the role changes. */
export function formatChampionTable(
  epochs: readonly EpochOpening[],
  served: readonly ServedCount[],
  changes: readonly RoleChange[],
): string {
  const header = ['epoch', 'served by (events)', 'shadow', 'role changes'];
  const rows = epochs.map(({ epoch }) => {
    const byVersion = new Map<string, number>();
    const shadows = new Map<number, number>();
    for (const count of served.filter((c) => c.epoch === epoch)) {
      const name = count.version === null ? 'prior' : `v${count.version}`;
      byVersion.set(name, (byVersion.get(name) ?? 0) + count.served);
      if (count.shadowVersion !== null)
        shadows.set(count.shadowVersion, (shadows.get(count.shadowVersion) ?? 0) + count.served);
    }
    const happened = changes
      .filter((change) => epochAt(epochs, change.at) === epoch)
      .flatMap((change) => describeChange(change) ?? []);
    return [
      String(epoch),
      [...byVersion].map(([name, count]) => `${name} ${count}`).join(', ') || '-',
      [...shadows].map(([version, count]) => `v${version} ${count}`).join(', ') || '-',
      happened.join('; ') || '-',
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
