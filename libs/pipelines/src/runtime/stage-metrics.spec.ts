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

  it('sums handler latency and tells every listener of each attempt, by pipeline and stage', () => {
    const registry = new StageMetricsRegistry();
    const heard: [string, string, number][] = [];
    registry.onHandlerSeconds((pipeline, stage, seconds) => heard.push([pipeline, stage, seconds]));
    const metrics = registry.for('fraud', 'infer');
    for (const seconds of [0.0005, 0.003, 45]) metrics.observeHandlerSeconds(seconds);

    const { latency } = metrics.snapshot();
    expect(latency.count).toBe(3);
    expect(latency.sumSeconds).toBeCloseTo(45.0035);
    expect(heard).toEqual([
      ['fraud', 'infer', 0.0005],
      ['fraud', 'infer', 0.003],
      ['fraud', 'infer', 45],
    ]);
  });
});
