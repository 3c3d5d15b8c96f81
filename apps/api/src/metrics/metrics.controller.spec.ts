import type { StreamProducers } from '@gyre/ingest';
import { MetricsRegistry, ProcessMetrics } from '@gyre/metrics';
import { metricFamilies } from '../../../../tools/testing/metric-families';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

/** StreamProducers as ApiMetrics sees it: one publish observer and the in-flight count. */
function fakeProducers() {
  let observer: Parameters<StreamProducers['observe']>[0] = () => undefined;
  const producers = {
    inFlightEvents: 0,
    observe: (listener: typeof observer) => (observer = listener),
  };
  return {
    producers: producers as unknown as StreamProducers,
    publish: (...a: Parameters<typeof observer>) => observer(...a),
  };
}

type Hook = (request: unknown, reply: unknown, done: () => void) => void;

describe(MetricsController.name, () => {
  const registry = new MetricsRegistry();
  const process = new ProcessMetrics(registry);
  afterAll(() => process.onModuleDestroy());

  it('serves the same metric families, types, help texts and label names as before the move to prom-client', async () => {
    const { producers, publish } = fakeProducers();
    const metrics = new ApiMetrics(registry, producers);
    const hooks = new Map<string, Hook>();
    metrics.register({ addHook: (name: string, hook: Hook) => hooks.set(name, hook) } as never);
    const request = { method: 'POST', routeOptions: { url: '/v1/streams/:stream/events' } };
    hooks.get('onRequest')!(request, {}, () => undefined);
    hooks.get('onResponse')!(request, { statusCode: 202 }, () => undefined);
    publish({ outcome: 'acknowledged', seconds: 0.004, events: 3 });
    metrics.problem('https://gyre.dev/problems/stream-not-found', 404);

    const families = metricFamilies(await new MetricsController(metrics).scrape());

    expect(families).toEqual(API_FAMILIES);
  });
});

const requestLabels = ['method', 'route', 'status'];
const API_FAMILIES = [
  {
    name: 'gyre_api_problems_total',
    type: 'counter',
    help: 'Problem responses, by problem type URI and status.',
    labels: ['status', 'type'],
  },
  {
    name: 'gyre_api_publish_duration_seconds',
    type: 'histogram',
    help: "Time for the broker to acknowledge every event of a request's publish, by outcome, in seconds.",
    labels: ['le', 'outcome'],
  },
  {
    name: 'gyre_api_publish_in_flight_events',
    type: 'gauge',
    help: 'Events sent to Pulsar and not yet acknowledged, in this process.',
    labels: [],
  },
  {
    name: 'gyre_api_published_events_total',
    type: 'counter',
    help: 'Events sent to Pulsar, by outcome.',
    labels: ['outcome'],
  },
  {
    name: 'gyre_api_request_duration_seconds',
    type: 'histogram',
    help: 'Time from receiving a request to the end of its response, by route and status, in seconds.',
    labels: ['le', ...requestLabels],
  },
  {
    name: 'gyre_api_requests_total',
    type: 'counter',
    help: 'HTTP requests answered, by route and status.',
    labels: requestLabels,
  },
  {
    name: 'nodejs_active_resources',
    type: 'gauge',
    help: 'Resources (sockets, timers, handles) keeping the event loop alive.',
    labels: [],
  },
  {
    name: 'nodejs_array_buffers_bytes',
    type: 'gauge',
    help: 'Memory of ArrayBuffers and Buffers, in bytes.',
    labels: [],
  },
  {
    name: 'nodejs_eventloop_delay_max_seconds',
    type: 'gauge',
    help: 'Longest event-loop delay since start, in seconds.',
    labels: [],
  },
  {
    name: 'nodejs_eventloop_delay_seconds',
    type: 'gauge',
    help: 'Event-loop delay since start, by quantile, in seconds.',
    labels: ['quantile'],
  },
  {
    name: 'nodejs_external_memory_bytes',
    type: 'gauge',
    help: 'Memory of C++ objects bound to JavaScript, in bytes.',
    labels: [],
  },
  { name: 'nodejs_heap_size_total_bytes', type: 'gauge', help: 'V8 heap allocated, in bytes.', labels: [] },
  { name: 'nodejs_heap_size_used_bytes', type: 'gauge', help: 'V8 heap in use, in bytes.', labels: [] },
  {
    name: 'process_cpu_system_seconds_total',
    type: 'counter',
    help: 'System CPU time spent, in seconds.',
    labels: [],
  },
  {
    name: 'process_cpu_user_seconds_total',
    type: 'counter',
    help: 'User CPU time spent, in seconds.',
    labels: [],
  },
  { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident set size, in bytes.', labels: [] },
  {
    name: 'process_start_time_seconds',
    type: 'gauge',
    help: 'Start time of the process since the Unix epoch, in seconds.',
    labels: [],
  },
  {
    name: 'process_uptime_seconds',
    type: 'gauge',
    help: 'Time since the process started, in seconds.',
    labels: [],
  },
];
