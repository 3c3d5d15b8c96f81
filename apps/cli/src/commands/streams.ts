import { Command, CommandContext } from '../command';
import { EXIT } from '../cli-io';
import { formatBytes, formatTable } from '../format';

interface StreamView {
  name: string;
  ownerTeam: string;
  partitions: number;
  schemaVersion: number;
  createdAt: string;
}

interface TierTotals {
  ledgers: number;
  bytes: number;
}

export interface StorageReport {
  stream: string;
  bucket: string;
  bookKeeper: TierTotals;
  offloaded: TierTotals;
  s3: { objects: number; bytes: number; missingLedgers: number[] };
  ledgers: Array<{
    partition: number;
    ledgerId: number;
    entries: number;
    bytes: number;
    offloaded: boolean;
    inBookKeeper: boolean;
    s3: { dataBytes: number | null; indexBytes: number | null } | null;
  }>;
}

export const streamsListCommand: Command = {
  words: ['streams', 'list'],
  args: [],
  summary: 'List streams (admin key).',
  options: {},
  async run({ io, api, json }: CommandContext): Promise<number> {
    const streams = await api().get<StreamView[]>('/admin/streams');
    io.stdout.write(
      json
        ? `${JSON.stringify(streams)}\n`
        : formatTable(
            ['name', 'partitions', 'owner', 'schema', 'created'],
            streams.map((s) => [s.name, s.partitions, s.ownerTeam, `v${s.schemaVersion}`, s.createdAt]),
          ),
    );
    return EXIT.ok;
  },
};

export const streamsTiersCommand: Command = {
  words: ['streams', 'tiers'],
  args: ['<stream>'],
  summary: "Where a stream's events are stored: ledgers and bytes in BookKeeper and in S3 (admin key).",
  details: [
    "From each partition's internal stats, cross-checked with the objects in the tiered bucket. An offloaded",
    'ledger still in its deletion lag counts in both tiers.',
  ].join('\n'),
  options: { ledgers: { type: 'boolean', short: 'l', help: 'also list every ledger' } },
  async run({ io, values, positionals, api, json }: CommandContext): Promise<number> {
    const report = await api().get<StorageReport>(
      `/admin/streams/${encodeURIComponent(positionals[0])}/storage`,
    );
    io.stdout.write(json ? `${JSON.stringify(report)}\n` : describeTiers(report, values.ledgers === true));
    return EXIT.ok;
  },
};

export function describeTiers(report: StorageReport, withLedgers: boolean): string {
  const total = report.ledgers.reduce((sum, ledger) => sum + ledger.bytes, 0);
  const share = (bytes: number) => (total > 0 ? `${Math.round((bytes / total) * 100)}%` : '-');
  let text = `stream ${report.stream}: ${formatBytes(total)} in ${report.ledgers.length} ledgers\n`;
  text += formatTable(
    ['tier', 'ledgers', 'bytes', 'share'],
    [
      [
        'BookKeeper',
        report.bookKeeper.ledgers,
        formatBytes(report.bookKeeper.bytes),
        share(report.bookKeeper.bytes),
      ],
      [
        'S3 (offloaded)',
        report.offloaded.ledgers,
        formatBytes(report.offloaded.bytes),
        share(report.offloaded.bytes),
      ],
    ],
  );
  const missing = report.s3.missingLedgers.length > 0 ? report.s3.missingLedgers.join(', ') : 'none';
  text += `bucket ${report.bucket}: ${report.s3.objects} objects, ${formatBytes(report.s3.bytes)}; offloaded ledgers without an object: ${missing}\n`;
  if (withLedgers)
    text += formatTable(
      ['partition', 'ledger', 'entries', 'bytes', 'tier', 's3 bytes'],
      report.ledgers.map((ledger, index) => [
        ledger.partition,
        ledger.ledgerId,
        ledger.entries,
        ledger.bytes,
        // Ledgers come in order per partition: the last of each is the open one, never offloaded.
        report.ledgers[index + 1]?.partition === ledger.partition
          ? tierOf(ledger)
          : `${tierOf(ledger)} (open)`,
        ledger.s3 ? (ledger.s3.dataBytes ?? 0) + (ledger.s3.indexBytes ?? 0) : '-',
      ]),
    );
  return text;
}

function tierOf(ledger: { offloaded: boolean; inBookKeeper: boolean }): string {
  if (ledger.offloaded && ledger.inBookKeeper) return 'both (deletion lag)';
  return ledger.offloaded ? 'S3' : 'BookKeeper';
}
