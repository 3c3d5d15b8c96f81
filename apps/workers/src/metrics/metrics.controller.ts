import { Controller, Get, Header, Logger } from '@nestjs/common';
import { PipelineStatusService, PipelineStatusView, StageMetricsRegistry } from '@gyre/pipelines';
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
    const views = await this.pipelineViews([...new Set(snapshots.map((snapshot) => snapshot.pipeline))]);
    return renderPrometheusText([
      ...this.metrics.sample(),
      ...stageMetricSamples(snapshots),
      ...stageLagSamples(views),
    ]);
  }

  /** The lag of the pipelines this process runs; a pipeline whose status fails is left out of the scrape. */
  private async pipelineViews(pipelines: readonly string[]): Promise<PipelineStatusView[]> {
    const views = await Promise.all(
      pipelines.map((name) =>
        this.status.status(name).catch((error: unknown) => {
          this.logger.warn({ msg: 'stage lag unavailable', pipeline: name, error: String(error) });
          return undefined;
        }),
      ),
    );
    return views.filter((view): view is PipelineStatusView => view !== undefined);
  }
}
