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
// As GET /admin/epochs places them: a version trained when an epoch closes shows in the next one.
const epochs = [
  { epoch: 1, scoredBy: [{ version: null, shadowVersion: null, events: 100 }], roleChanges: [] },
  {
    epoch: 2,
    scoredBy: [{ version: 1, shadowVersion: null, events: 100 }],
    roleChanges: changes.slice(0, 1),
  },
  {
    epoch: 3,
    scoredBy: [
      { version: 1, shadowVersion: 2, events: 40 },
      { version: 2, shadowVersion: null, events: 60 },
    ],
    roleChanges: changes.slice(1),
  },
];

describe(formatChampionTable.name, () => {
  it('shows per epoch who served, who shadowed, and when a challenger was promoted', () => {
    const table = formatChampionTable(epochs).split('\n');

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
