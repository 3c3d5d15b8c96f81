import { MetricsRegistry, ProcessMetrics } from '@gyre/metrics';
import { PipelineStatusService, StageLag, StageMetricsRegistry } from '@gyre/pipelines';
import { metricFamilies } from '../../../../tools/testing/metric-families';
import { MetricsController } from './metrics.controller';
import { WorkersMetrics } from './workers-metrics';

/** The lag source as the controller sees it: Pulsar's backlog per stage, here a fixed answer. */
function fixedLags(lags: StageLag[]): PipelineStatusService {
  return { lags: async () => lags } as unknown as PipelineStatusService;
}

describe(MetricsController.name, () => {
  const registry = new MetricsRegistry();
  const process = new ProcessMetrics(registry);
  afterAll(() => process.onModuleDestroy());

  it('serves the same metric families, types, help texts and label names as before the move to prom-client', async () => {
    const stages = new StageMetricsRegistry();
    const lags = fixedLags([
      { pipeline: 'fraud', stage: 'prepare', subscription: 'gyre-fraud-prepare', lag: 5 },
    ]);
    const controller = new MetricsController(new WorkersMetrics(registry, stages, lags));
    const prepare = stages.for('fraud', 'prepare');
    prepare.processed = 2;
    prepare.observeHandlerSeconds(0.02);
    stages.for('fraud', 'infer').lateEvents = 1;

    const families = metricFamilies(await controller.scrape());

    expect(families.map(({ name }) => name).filter((name) => !name.startsWith('gyre_'))).toEqual(
      PROCESS_FAMILIES,
    );
    expect(families.filter(({ name }) => name.startsWith('gyre_'))).toEqual(STAGE_FAMILIES);
  });

  it('counts per stage, times each handler attempt, and leaves out a stage whose lag is unknown', async () => {
    const stages = new StageMetricsRegistry();
    const lags = fixedLags([
      { pipeline: 'fraud', stage: 'prepare', subscription: 'gyre-fraud-prepare', lag: 7 },
      { pipeline: 'fraud', stage: 'infer', subscription: 'gyre-fraud-infer', lag: null },
    ]);
    const controller = new MetricsController(new WorkersMetrics(new MetricsRegistry(), stages, lags));
    stages.for('fraud', 'prepare').lateEvents = 3;
    stages.for('fraud', 'prepare').observeHandlerSeconds(0.02);
    stages.for('fraud', 'infer').retried = 2;

    const text = await controller.scrape();

    const lines = text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'gyre_stage_late_events_total{pipeline="fraud",stage="prepare"} 3',
        'gyre_stage_late_events_total{pipeline="fraud",stage="infer"} 0',
        'gyre_stage_failures_total{pipeline="fraud",stage="infer",outcome="retried"} 2',
        'gyre_stage_handler_duration_seconds_bucket{le="0.01",pipeline="fraud",stage="prepare"} 0',
        'gyre_stage_handler_duration_seconds_bucket{le="0.025",pipeline="fraud",stage="prepare"} 1',
        'gyre_stage_handler_duration_seconds_count{pipeline="fraud",stage="infer"} 0',
        'gyre_stage_subscription_lag{pipeline="fraud",stage="prepare",subscription="gyre-fraud-prepare"} 7',
      ]),
    );
    expect(text).not.toContain('subscription="gyre-fraud-infer"');
  });
});

const stageLabels = ['pipeline', 'stage'];
const PROCESS_FAMILIES = [
  'nodejs_active_resources',
  'nodejs_array_buffers_bytes',
  'nodejs_eventloop_delay_max_seconds',
  'nodejs_eventloop_delay_seconds',
  'nodejs_external_memory_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'process_cpu_system_seconds_total',
  'process_cpu_user_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'process_uptime_seconds',
];
const STAGE_FAMILIES = [
  {
    name: 'gyre_stage_events_in_flight',
    type: 'gauge',
    help: 'Events this process is handling (or retrying in place) right now.',
    labels: stageLabels,
  },
  {
    name: 'gyre_stage_events_processed_total',
    type: 'counter',
    help: 'Events handled, published and acked.',
    labels: stageLabels,
  },
  {
    name: 'gyre_stage_failures_total',
    type: 'counter',
    help: 'Failed handlings, by what happened next.',
    labels: ['outcome', ...stageLabels],
  },
  {
    name: 'gyre_stage_handler_duration_seconds',
    type: 'histogram',
    help: 'Time the stage handler took per attempt, in seconds.',
    labels: ['le', ...stageLabels],
  },
  {
    name: 'gyre_stage_late_events_total',
    type: 'counter',
    help: 'Events handled later than the stage allows (allowedLatenessMs): scored and flagged, not dropped.',
    labels: stageLabels,
  },
  {
    name: 'gyre_stage_subscription_lag',
    type: 'gauge',
    help: "Events in the stage's input subscription not yet acknowledged (all workers).",
    labels: [...stageLabels, 'subscription'],
  },
];
