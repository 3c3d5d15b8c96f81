import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { MetricsRegistry } from './metrics-registry';

const NS_PER_SECOND = 1e9;

/**
 * What this process can measure about itself: uptime, CPU, memory, event-loop delay, open resources.
 * Gyre's own names and help texts (older than prom-client's collectDefaultMetrics, whose names differ),
 * read at scrape time; the event-loop monitor runs from construction, i.e. when the role starts.
 */
@Injectable()
export class ProcessMetrics implements OnModuleDestroy {
  private readonly eventLoopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor(metrics: MetricsRegistry) {
    this.eventLoopDelay.enable();
    const delay = this.eventLoopDelay;
    const gauge = (name: string, help: string, read: () => number) =>
      metrics.gauge({
        name,
        help,
        collect() {
          this.set(read());
        },
      });
    const counter = (name: string, help: string, read: () => number) =>
      metrics.counter({
        name,
        help,
        collect() {
          this.reset();
          this.inc(read());
        },
      });

    gauge(
      'process_start_time_seconds',
      'Start time of the process since the Unix epoch, in seconds.',
      () => Date.now() / 1000 - process.uptime(),
    );
    gauge('process_uptime_seconds', 'Time since the process started, in seconds.', () => process.uptime());
    counter(
      'process_cpu_user_seconds_total',
      'User CPU time spent, in seconds.',
      () => process.cpuUsage().user / 1e6,
    );
    counter(
      'process_cpu_system_seconds_total',
      'System CPU time spent, in seconds.',
      () => process.cpuUsage().system / 1e6,
    );
    gauge('process_resident_memory_bytes', 'Resident set size, in bytes.', () => process.memoryUsage.rss());
    gauge(
      'nodejs_heap_size_total_bytes',
      'V8 heap allocated, in bytes.',
      () => process.memoryUsage().heapTotal,
    );
    gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', () => process.memoryUsage().heapUsed);
    gauge(
      'nodejs_external_memory_bytes',
      'Memory of C++ objects bound to JavaScript, in bytes.',
      () => process.memoryUsage().external,
    );
    gauge(
      'nodejs_array_buffers_bytes',
      'Memory of ArrayBuffers and Buffers, in bytes.',
      () => process.memoryUsage().arrayBuffers,
    );
    gauge(
      'nodejs_active_resources',
      'Resources (sockets, timers, handles) keeping the event loop alive.',
      () => process.getActiveResourcesInfo().length,
    );
    metrics.gauge({
      name: 'nodejs_eventloop_delay_seconds',
      help: 'Event-loop delay since start, by quantile, in seconds.',
      labelNames: ['quantile'],
      collect() {
        for (const quantile of [0.5, 0.99])
          this.set({ quantile: String(quantile) }, delay.percentile(quantile * 100) / NS_PER_SECOND);
      },
    });
    gauge(
      'nodejs_eventloop_delay_max_seconds',
      'Longest event-loop delay since start, in seconds.',
      () => delay.max / NS_PER_SECOND,
    );
  }

  onModuleDestroy(): void {
    this.eventLoopDelay.disable();
  }
}
