import { Controller, Get, Header } from '@nestjs/common';
import { StageMetricsRegistry } from '@gyre/pipelines';
import { ProcessMetrics } from './process-metrics';
import { renderPrometheusText } from './prometheus-text';
import { stageMetricSamples } from './stage-metric-samples';

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ProcessMetrics,
    private readonly stages: StageMetricsRegistry,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): string {
    return renderPrometheusText([...this.metrics.sample(), ...stageMetricSamples(this.stages.snapshot())]);
  }
}
