import { maturityByEpoch, MaturityRow } from './label-maturity';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Epoch 1: a fraud reported in 6 hours, a legit settled in 3 days, a fraud charged back in 9, one unlabelled. */
const epochOne: MaturityRow[] = [
  { epoch: 1, eventTime: 0, knownAt: 6 * HOUR, label: 1, score: 0.9 },
  { epoch: 1, eventTime: 0, knownAt: 3 * DAY, label: 0, score: 0.2 },
  { epoch: 1, eventTime: DAY, knownAt: 10 * DAY, label: 1, score: 0.1 },
  { epoch: 1, eventTime: DAY, knownAt: null, label: null, score: 0.3 },
];

describe(maturityByEpoch.name, () => {
  it("counts each epoch's labels known a day, a week after their transaction, and now", () => {
    const [epoch] = maturityByEpoch(epochOne);

    expect(epoch.events).toBe(4);
    expect(epoch.horizons['1d']).toMatchObject({ labelled: 1, share: 0.25, positives: 1, auc: null });
    expect(epoch.horizons['7d']).toMatchObject({ labelled: 2, share: 0.5, auc: 1 });
    // The chargeback ranks below the legit: AUC falls to 0.5 once it is known.
    expect(epoch.horizons.final).toMatchObject({ labelled: 3, share: 0.75, positives: 2, auc: 0.5 });
    expect(epoch.horizons['7d'].logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 10);
  });

  it('lets a late label update an earlier epoch, and orders epochs', () => {
    const late = epochOne.map((row) =>
      row.knownAt === null ? { ...row, knownAt: 30 * DAY, label: 0 as const } : row,
    );
    const later: MaturityRow = { epoch: 2, eventTime: 8 * DAY, knownAt: null, label: null, score: 0.5 };

    const [one, two] = maturityByEpoch([later, ...late]);

    expect(one.horizons.final.labelled).toBe(4);
    expect(one.horizons['7d'].labelled).toBe(2);
    expect(two).toMatchObject({
      epoch: 2,
      events: 1,
      horizons: { final: { labelled: 0, share: 0, logLoss: null } },
    });
  });
});
