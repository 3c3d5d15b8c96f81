import { StageMetricsRegistry } from './stage-metrics';

describe(StageMetricsRegistry.name, () => {
  it('keeps one set of counters per pipeline stage, so a restarted stage continues its counts', () => {
    const registry = new StageMetricsRegistry();
    registry.for('fraud', 'infer').processed += 2;
    registry.for('fraud', 'infer').processed += 1;
    registry.for('fraud', 'prepare').deadLettered += 1;

    expect(
      registry
        .snapshot()
        .map(({ pipeline, stage, processed, deadLettered }) => [pipeline, stage, processed, deadLettered]),
    ).toEqual([
      ['fraud', 'infer', 3, 0],
      ['fraud', 'prepare', 0, 1],
    ]);
  });

  it('counts handler latency into cumulative buckets, with the sum and count', () => {
    const metrics = new StageMetricsRegistry().for('fraud', 'infer');
    for (const seconds of [0.0005, 0.003, 0.003, 0.2, 45]) metrics.observeHandlerSeconds(seconds);

    const { latency } = metrics.snapshot();
    const at = (le: number) => latency.buckets.find((bucket) => bucket.le === le)?.count;
    expect([at(0.001), at(0.005), at(0.1), at(0.25), at(30)]).toEqual([1, 3, 3, 4, 4]);
    expect(latency.count).toBe(5);
    expect(latency.sumSeconds).toBeCloseTo(45.2065);
  });
});
