import { Injectable } from '@nestjs/common';
import { StreamProducers } from '@gyre/streams';
import { Counter, Histogram, MetricSample, ProcessMetrics } from '@gyre/metrics';

/**
 * The API's Prometheus metrics. Labels hold route templates (`/v1/streams/:stream/events`), methods,
 * statuses, problem types and outcomes only: never a stream name, key or payload, so the series stay few.
 */
@Injectable()
export class ApiMetrics {
  private readonly requests = new Counter(
    'gyre_api_requests_total',
    'HTTP requests answered, by route and status.',
  );
  private readonly latency = new Histogram(
    'gyre_api_request_duration_seconds',
    'Time from receiving a request to the end of its response, by route and status, in seconds.',
  );
  private readonly publishLatency = new Histogram(
    'gyre_api_publish_duration_seconds',
    "Time for the broker to acknowledge every event of a request's publish, by outcome, in seconds.",
  );
  private readonly publishedEvents = new Counter(
    'gyre_api_published_events_total',
    'Events sent to Pulsar, by outcome.',
  );
  private readonly problems = new Counter(
    'gyre_api_problems_total',
    'Problem responses, by problem type URI and status.',
  );

  constructor(
    private readonly process: ProcessMetrics,
    private readonly producers: StreamProducers,
  ) {
    producers.observe(({ outcome, seconds, events }) => {
      this.publishLatency.observe(seconds, { outcome });
      this.publishedEvents.inc({ outcome }, events);
    });
  }

  /** Fastify hooks timing every request from its arrival until its response is sent. */
  register(fastify: HookHost): void {
    fastify.addHook('onRequest', (request, _reply, done) => {
      (request as TimedRequest)[STARTED] = performance.now();
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      };
      this.requests.inc(labels);
      const started = (request as TimedRequest)[STARTED];
      if (started !== undefined) this.latency.observe((performance.now() - started) / 1000, labels);
      done();
    });
  }

  problem(type: string, status: number): void {
    this.problems.inc({ type, status: String(status) });
  }

  samples(): MetricSample[] {
    return [
      ...this.process.sample(),
      ...this.requests.samples(),
      ...this.latency.samples(),
      ...this.publishLatency.samples(),
      ...this.publishedEvents.samples(),
      {
        name: 'gyre_api_publish_in_flight_events',
        help: 'Events sent to Pulsar and not yet acknowledged, in this process.',
        type: 'gauge',
        value: this.producers.inFlightEvents,
      },
      ...this.problems.samples(),
    ];
  }
}

const STARTED = Symbol('gyre.requestStarted');
type TimedRequest = { [STARTED]?: number };

/** The parts of Fastify's instance used here: its request hooks. */
interface HookHost {
  addHook(
    name: 'onRequest' | 'onResponse',
    hook: (
      request: { method: string; routeOptions: { url?: string } },
      reply: { statusCode: number },
      done: () => void,
    ) => void,
  ): unknown;
}
