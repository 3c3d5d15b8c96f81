import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseIntPipe,
  Query,
} from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EpochLineage, LoopReport, PredictionLineage } from './loop-report';

/**
 * The fraud loop's lineage (admin keys only): an epoch's datasets, serving and trained models and their metrics;
 * a prediction's model and features. The loop's own routes, composed into the API by its entry point.
 */
@ApiTags('admin: pipelines')
@Controller('admin')
export class LoopLineageController {
  constructor(private readonly report: LoopReport) {}

  @Get('epochs/:epoch/lineage')
  @ApiOperation({
    summary:
      "An epoch's lineage: its input dataset, the model that scored it, the model it trained, their metrics",
  })
  @ApiQuery({ name: 'pipeline', required: true, description: 'the loop pipeline, e.g. fraud-demo-<run>' })
  @ApiOkResponse({ description: 'the epoch, with dataset (S3 keys, rows, checksum) and model versions' })
  async lineage(
    @Param('epoch', ParseIntPipe) epoch: number,
    @Query('pipeline') pipeline: string | undefined,
  ): Promise<EpochLineage> {
    if (!pipeline) throw new BadRequestException('the pipeline query parameter is required');
    const lineage = await this.report.lineage(pipeline, epoch);
    if (!lineage) throw new NotFoundException(`pipeline "${pipeline}" has no epoch ${epoch}`);
    return lineage;
  }

  @Get('pipelines/:name/predictions/:eventId/lineage')
  @ApiOperation({
    summary: 'A prediction: the model (version, artifact, metrics) and the features that made it',
  })
  @ApiOkResponse({
    schema: {
      example: {
        eventId: 'tx-3f2a-118',
        epoch: 2,
        score: 0.91,
        model: 'fraud-v1',
        modelVersion: {
          version: 1,
          artifact: { bucket: 'gyre-models', key: 'fraud/v0001/model.json', checksum: 'sha256:…' },
          metrics: { examples: 400, positives: 12, auc: 0.93, logLoss: 0.07, brier: 0.02, ece: 0.01 },
        },
        features: {
          definition: 'fraud.card-features@1',
          eventTime: 1795400000000,
          values: { log_amount: 5.2 },
        },
        label: 1,
      },
    },
  })
  @ApiNotFoundResponse({ description: 'no prediction recorded for that event in that pipeline (not-found)' })
  async predictionLineage(
    @Param('name') name: string,
    @Param('eventId') eventId: string,
  ): Promise<PredictionLineage> {
    const lineage = await this.report.predictionLineage(name, eventId);
    if (!lineage) throw new NotFoundException(`pipeline "${name}" has no recorded prediction for that event`);
    return lineage;
  }
}
