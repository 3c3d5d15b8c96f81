import { LabelRateTable } from './label-rate-table';

describe(LabelRateTable.name, () => {
  it('counts only labels known strictly before the asked time, whatever order they arrived in', () => {
    const table = new LabelRateTable(0.1, 10);
    table.observe('m-1', true, 300);
    table.observe('m-1', false, 100);
    table.observe('m-1', true, 200);

    expect(table.rateAsOf('m-1', 100)).toEqual({ rate: 1 / 10, labels: 0 });
    expect(table.rateAsOf('m-1', 101)).toEqual({ rate: 1 / 11, labels: 1 });
    expect(table.rateAsOf('m-1', 201)).toEqual({ rate: 2 / 12, labels: 2 });
    expect(table.rateAsOf('m-1', 1_000)).toEqual({ rate: 3 / 13, labels: 3 });
  });

  it('answers the prior for a key without labels', () => {
    expect(new LabelRateTable(0.03, 20).rateAsOf('unknown', 5)).toEqual({ rate: 0.03, labels: 0 });
  });

  it('restores from its snapshot with the same answers', () => {
    const table = new LabelRateTable(0.05, 5);
    table.observe('b', true, 10);
    table.observe('a', false, 20);

    const restored = LabelRateTable.restore(JSON.parse(JSON.stringify(table.snapshot())), 0.05, 5);

    expect(restored.rateAsOf('b', 11)).toEqual(table.rateAsOf('b', 11));
    expect(restored.snapshot()).toEqual(table.snapshot());
    expect(() => LabelRateTable.restore({ format: 'other' }, 0.05, 5)).toThrow(
      expect.objectContaining({ code: 'INVALID_FEATURE_STATE' }),
    );
  });

  it('rejects a prior outside (0, 1)', () => {
    expect(() => new LabelRateTable(0, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
