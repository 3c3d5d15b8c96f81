import { ProcessMetrics } from '@gyre/metrics';
import { PipelineStatusService, StageLag, StageMetricsRegistry } from '@gyre/pipelines';
import { metricFamilies } from '../../../../tools/testing/metric-families';
import { MetricsController } from './metrics.controller';

/** The lag source as the controller sees it: Pulsar's backlog per stage, here a fixed answer. */
function fixedLags(lags: StageLag[]): PipelineStatusService {
  return { lags: async () => lags } as unknown as PipelineStatusService;
}

describe(MetricsController.name, () => {
  const process = new ProcessMetrics();
  afterAll(() => process.onModuleDestroy());

  it('serves the same metric families, types, help texts and label names as before the move to prom-client', async () => {
    const stages = new StageMetricsRegistry();
    const prepare = stages.for('fraud', 'prepare');
    prepare.processed = 2;
    prepare.observeHandlerSeconds(0.02);
    const lags = fixedLags([
      { pipeline: 'fraud', stage: 'prepare', subscription: 'gyre-fraud-prepare', lag: 5 },
    ]);

    const families = metricFamilies(await new MetricsController(process, stages, lags).scrape());

    expect(families.map(({ name }) => name).filter((name) => !name.startsWith('gyre_'))).toEqual(
      PROCESS_FAMILIES,
    );
    expect(families.filter(({ name }) => name.startsWith('gyre_'))).toEqual(STAGE_FAMILIES);
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
