import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { MetricSample } from './prometheus-text';

const NS_PER_SECOND = 1e9;

/** What this process can measure about itself: uptime, CPU, memory, event-loop delay, open resources. */
@Injectable()
export class ProcessMetrics implements OnModuleDestroy {
  private readonly eventLoopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.eventLoopDelay.enable();
  }

  sample(): MetricSample[] {
    const uptime = process.uptime();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const delay = this.eventLoopDelay;
    return [
      gauge(
        'process_start_time_seconds',
        'Start time of the process since the Unix epoch, in seconds.',
        Date.now() / 1000 - uptime,
      ),
      gauge('process_uptime_seconds', 'Time since the process started, in seconds.', uptime),
      counter('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', cpu.user / 1e6),
      counter('process_cpu_system_seconds_total', 'System CPU time spent, in seconds.', cpu.system / 1e6),
      gauge('process_resident_memory_bytes', 'Resident set size, in bytes.', memory.rss),
      gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated, in bytes.', memory.heapTotal),
      gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', memory.heapUsed),
      gauge(
        'nodejs_external_memory_bytes',
        'Memory of C++ objects bound to JavaScript, in bytes.',
        memory.external,
      ),
      gauge(
        'nodejs_array_buffers_bytes',
        'Memory of ArrayBuffers and Buffers, in bytes.',
        memory.arrayBuffers,
      ),
      gauge(
        'nodejs_active_resources',
        'Resources (sockets, timers, handles) keeping the event loop alive.',
        process.getActiveResourcesInfo().length,
      ),
      ...[0.5, 0.99].map((quantile) =>
        gauge(
          'nodejs_eventloop_delay_seconds',
          'Event-loop delay since start, by quantile, in seconds.',
          delay.percentile(quantile * 100) / NS_PER_SECOND,
          {
            quantile: String(quantile),
          },
        ),
      ),
      gauge(
        'nodejs_eventloop_delay_max_seconds',
        'Longest event-loop delay since start, in seconds.',
        delay.max / NS_PER_SECOND,
      ),
    ];
  }

  onModuleDestroy(): void {
    this.eventLoopDelay.disable();
  }
}

function gauge(name: string, help: string, value: number, labels?: Record<string, string>): MetricSample {
  return { name, help, type: 'gauge', value, labels };
}

function counter(name: string, help: string, value: number): MetricSample {
  return { name, help, type: 'counter', value };
}
