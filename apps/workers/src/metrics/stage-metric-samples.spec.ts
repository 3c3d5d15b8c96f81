import { StageMetrics } from '@gyre/pipelines';
import { stageMetricSamples } from './stage-metric-samples';

describe(stageMetricSamples.name, () => {
  it('counts the events each stage handled later than its allowed lateness', () => {
    const prepare = new StageMetrics('fraud', 'prepare');
    prepare.lateEvents = 3;

    const samples = stageMetricSamples([prepare.snapshot(), new StageMetrics('fraud', 'infer').snapshot()]);

    expect(samples.filter((sample) => sample.name === 'gyre_stage_late_events_total')).toEqual([
      expect.objectContaining({ type: 'counter', value: 3, labels: { pipeline: 'fraud', stage: 'prepare' } }),
      expect.objectContaining({ type: 'counter', value: 0, labels: { pipeline: 'fraud', stage: 'infer' } }),
    ]);
  });
});
