import { Injectable } from '@nestjs/common';
import { StreamProducers } from '@gyre/ingest';
import { MetricsRegistry } from '@gyre/metrics';
import type { Counter, Histogram } from 'prom-client';

const REQUEST_LABELS = ['method', 'route', 'status'] as const;
type RequestLabel = (typeof REQUEST_LABELS)[number];

/**
 * The API's Prometheus metrics. Labels hold route templates (`/v1/streams/:stream/events`), methods,
 * statuses, problem types and outcomes only: never a stream name, key or payload, so the series stay few.
 */
@Injectable()
export class ApiMetrics {
  private readonly requests: Counter<RequestLabel>;
  private readonly latency: Histogram<RequestLabel>;
  private readonly publishLatency: Histogram<'outcome'>;
  private readonly publishedEvents: Counter<'outcome'>;
  private readonly problems: Counter<'type' | 'status'>;

  constructor(
    private readonly registry: MetricsRegistry,
    producers: StreamProducers,
  ) {
    this.requests = registry.counter({
      name: 'gyre_api_requests_total',
      help: 'HTTP requests answered, by route and status.',
      labelNames: REQUEST_LABELS,
    });
    this.latency = registry.histogram({
      name: 'gyre_api_request_duration_seconds',
      help: 'Time from receiving a request to the end of its response, by route and status, in seconds.',
      labelNames: REQUEST_LABELS,
    });
    this.publishLatency = registry.histogram({
      name: 'gyre_api_publish_duration_seconds',
      help: "Time for the broker to acknowledge every event of a request's publish, by outcome, in seconds.",
      labelNames: ['outcome'],
    });
    this.publishedEvents = registry.counter({
      name: 'gyre_api_published_events_total',
      help: 'Events sent to Pulsar, by outcome.',
      labelNames: ['outcome'],
    });
    this.problems = registry.counter({
      name: 'gyre_api_problems_total',
      help: 'Problem responses, by problem type URI and status.',
      labelNames: ['type', 'status'],
    });
    registry.gauge({
      name: 'gyre_api_publish_in_flight_events',
      help: 'Events sent to Pulsar and not yet acknowledged, in this process.',
      collect() {
        this.set(producers.inFlightEvents);
      },
    });
    producers.observe(({ outcome, seconds, events }) => {
      this.publishLatency.observe({ outcome }, seconds);
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
      if (started !== undefined) this.latency.observe(labels, (performance.now() - started) / 1000);
      done();
    });
  }

  problem(type: string, status: number): void {
    this.problems.inc({ type, status: String(status) });
  }

  scrape(): Promise<string> {
    return this.registry.scrape();
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
