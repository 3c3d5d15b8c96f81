import type { RoleChange } from '@gyre/example-fraud-loop';
import { championVerdict, formatChampionTable } from './champion-table';

const at = (minute: number) => `2026-12-07T04:${String(minute).padStart(2, '0')}:00.000Z`;
const change = (
  version: number,
  fromRole: RoleChange['fromRole'],
  toRole: RoleChange['toRole'],
  minute: number,
) =>
  ({
    version,
    fromRole,
    toRole,
    reason: '',
    actor: 'gyre:train',
    comparison: null,
    at: at(minute),
  }) as RoleChange;

const epochs = [1, 2, 3].map((epoch) => ({ epoch, openedAt: at(epoch * 10) }));
const changes: RoleChange[] = [
  change(1, null, 'champion', 20),
  change(2, null, 'challenger', 30),
  change(1, 'champion', 'retired', 35),
  {
    ...change(2, 'challenger', 'champion', 35),
    actor: 'gyre:auto-promotion',
    comparison: {
      champion: 1,
      challenger: 2,
      maturedEvents: 200,
      positives: 6,
      scores: { champion: { auc: 0.8, logLoss: 0.2 }, challenger: { auc: 0.9, logLoss: 0.1 } },
    },
  },
];

describe(formatChampionTable.name, () => {
  it('shows per epoch who served, who shadowed, and when a challenger was promoted', () => {
    const table = formatChampionTable(
      epochs,
      [
        { epoch: 1, version: null, served: 100, shadowVersion: null },
        { epoch: 2, version: 1, served: 100, shadowVersion: null },
        { epoch: 3, version: 1, served: 40, shadowVersion: 2 },
        { epoch: 3, version: 2, served: 60, shadowVersion: null },
      ],
      changes,
    ).split('\n');

    expect(table[2]).toMatch(/^\s+1 {2}prior 100\s+-\s+-$/);
    expect(table[3]).toMatch(/^\s+2 {2}v1 100\s+-\s+v1 trained -> champion$/);
    expect(table[4]).toMatch(
      /^\s+3 {2}v1 40, v2 60\s+v2 40\s+v2 trained -> challenger; v2 promoted \(auto\): log loss 0\.2000 \(v1\) -> 0\.1000 on 200 matured events$/,
    );
  });

  it('sums up the promotions in one line', () => {
    expect(championVerdict(changes)).toBe(
      '  Champion/challenger: 1 of 1 challengers beat the champion on the same matured events and were promoted; v2 serves now.',
    );
  });
});
