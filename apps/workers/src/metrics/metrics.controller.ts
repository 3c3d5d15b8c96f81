import { Controller, Get, Header } from '@nestjs/common';
import { StageMetricsRegistry } from '@gyre/pipelines';
import { ProcessMetrics, PROMETHEUS_CONTENT_TYPE, renderPrometheusText } from '@gyre/metrics';
import { stageMetricSamples } from './stage-metric-samples';

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ProcessMetrics,
    private readonly stages: StageMetricsRegistry,
  ) {}

  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  scrape(): string {
    return renderPrometheusText([...this.metrics.sample(), ...stageMetricSamples(this.stages.snapshot())]);
  }
}
