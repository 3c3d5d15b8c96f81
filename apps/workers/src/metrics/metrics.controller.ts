import { Controller, Get, Header, Logger } from '@nestjs/common';
import { PipelineStatusService, StageLag, StageMetricsRegistry } from '@gyre/pipelines';
import { ProcessMetrics, PROMETHEUS_CONTENT_TYPE, renderPrometheusText } from '@gyre/metrics';
import { stageLagSamples, stageMetricSamples } from './stage-metric-samples';

@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger(MetricsController.name);

  constructor(
    private readonly metrics: ProcessMetrics,
    private readonly stages: StageMetricsRegistry,
    private readonly status: PipelineStatusService,
  ) {}

  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  async scrape(): Promise<string> {
    const snapshots = this.stages.snapshot();
    const lags = await this.lagsOf([...new Set(snapshots.map((snapshot) => snapshot.pipeline))]);
    return renderPrometheusText([
      ...this.metrics.sample(),
      ...stageMetricSamples(snapshots),
      ...stageLagSamples(lags),
    ]);
  }

  /** The lag of the pipelines this process runs; a pipeline whose lag fails is left out of the scrape. */
  private async lagsOf(pipelines: readonly string[]): Promise<StageLag[]> {
    const lags = await Promise.all(
      pipelines.map((name) =>
        this.status.lags(name).catch((error: unknown) => {
          this.logger.warn({ msg: 'stage lag unavailable', pipeline: name, error: String(error) });
          return [];
        }),
      ),
    );
    return lags.flat();
  }
}
