import { Controller, Get, Header } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE } from '@gyre/metrics';
import { WorkersMetrics } from './workers-metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: WorkersMetrics) {}

  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
