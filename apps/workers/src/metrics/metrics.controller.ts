import { Controller, Get, Header } from '@nestjs/common';
import { ProcessMetrics } from './process-metrics';
import { renderPrometheusText } from './prometheus-text';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ProcessMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): string {
    return renderPrometheusText(this.metrics.sample());
  }
}
