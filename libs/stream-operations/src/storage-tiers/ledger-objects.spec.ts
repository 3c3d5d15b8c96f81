import { objectsByLedger, storageReport } from './ledger-objects';

describe(objectsByLedger.name, () => {
  it('matches data and index objects to ledgers by their -ledger-<id> suffix and ignores other keys', () => {
    const objects = objectsByLedger([
      { key: '3f2a-uuid-ledger-12', size: 2000 },
      { key: '3f2a-uuid-ledger-12-index', size: 60 },
      { key: '9b1c-uuid-ledger-120', size: 5 },
      { key: 'datasets/clicks/part-0.parquet', size: 999 },
    ]);

    expect(Object.fromEntries(objects)).toEqual({
      12: { dataBytes: 2000, indexBytes: 60 },
      120: { dataBytes: 5, indexBytes: null },
    });
  });
});

describe(storageReport.name, () => {
  it('counts BookKeeper and S3 separately, a ledger in its deletion lag in both, and names offloaded ledgers missing from the bucket', () => {
    const report = storageReport(
      [
        {
          partition: 0,
          currentLedgerSize: 300,
          ledgers: [
            { ledgerId: 1, entries: 20, size: 1000, offloaded: true },
            { ledgerId: 2, entries: 20, size: 1000, offloaded: true, metadata: '{}' },
            { ledgerId: 3, entries: 20, size: 1000, offloaded: true },
            { ledgerId: 4, entries: 3, size: 0, offloaded: false, metadata: '{}' },
          ],
        },
      ],
      objectsByLedger([
        { key: 'u-ledger-1', size: 1100 },
        { key: 'u-ledger-1-index', size: 10 },
        { key: 'u-ledger-2', size: 1100 },
      ]),
    );

    expect(report.bookKeeper).toEqual({ ledgers: 2, bytes: 1300 });
    expect(report.offloaded).toEqual({ ledgers: 3, bytes: 3000 });
    expect(report.s3).toEqual({ objects: 3, bytes: 2210, missingLedgers: [3] });
  });
});
