import { formatLabelMaturity } from './maturity-table';

describe(formatLabelMaturity.name, () => {
  it('shows per epoch the share labelled and the AUC at each maturity', () => {
    const metrics = (share: number, auc: number | null) => ({
      labelled: 0,
      share,
      positives: 0,
      auc,
      logLoss: null,
    });
    const table = formatLabelMaturity([
      {
        epoch: 2,
        events: 2000,
        horizons: { '1d': metrics(0.3, null), '7d': metrics(0.9, 0.88), final: metrics(1, 0.9) },
      },
    ]).split('\n');

    expect(table[2]).toMatch(/^\s+2\s+2000\s+30%\s+-\s+90% 0\.8800\s+100% 0\.9000$/);
  });
});
