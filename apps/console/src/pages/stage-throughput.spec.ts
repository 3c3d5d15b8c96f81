import { stageThroughput } from './stage-throughput';

describe(stageThroughput.name, () => {
  it('divides each stage’s processed delta by the seconds between looks', () => {
    const series = stageThroughput([
      { at: 10_000, processed: { infer: 100, train: 5 } },
      { at: 12_000, processed: { infer: 140, train: 5 } },
      { at: 16_000, processed: { infer: 180, train: 9 } },
    ]);

    expect(series.times).toEqual([12, 16]);
    expect(series.series).toEqual([
      { label: 'infer', values: [20, 10] },
      { label: 'train', values: [0, 1] },
    ]);
  });

  it('counts a total that went down as no progress, and a stage missing from a look as a gap', () => {
    const series = stageThroughput([
      { at: 0, processed: { infer: 50 } },
      { at: 1000, processed: { infer: 20, prepare: 3 } },
      { at: 2000, processed: { infer: 30, prepare: 4 } },
    ]);

    expect(series.series).toEqual([
      { label: 'infer', values: [0, 10] },
      { label: 'prepare', values: [null, 1] },
    ]);
  });

  it('has no point before a second look', () => {
    expect(stageThroughput([{ at: 0, processed: { infer: 1 } }])).toEqual({
      times: [],
      series: [{ label: 'infer', values: [] }],
    });
  });
});
