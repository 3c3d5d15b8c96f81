import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { EpochLineage, EpochSummary, LoopReport, PredictionLineage } from './loop-report';
import { PositiveIntegerParam, requiredPipeline } from './loop-query';

/**
 * The fraud loop's lineage (admin keys only): an epoch's datasets, serving and trained models and their metrics;
 * a prediction's model and features. The loop's own routes, composed into the API by its entry point.
 */
@ApiTags('admin: pipelines')
@Controller('admin')
export class LoopLineageController {
  constructor(private readonly report: LoopReport) {}

  @Get('epochs')
  @ApiOperation({
    summary:
      "A loop's epochs, oldest first: each with its lineage, live and held-out metrics, training time, S3 URIs, the versions that served and shadowed it and the role changes (promotions, rollbacks) made during it",
  })
  @ApiQuery({ name: 'pipeline', required: true, description: 'the loop pipeline, e.g. fraud-demo-<run>' })
  @ApiOkResponse({
    description: 'an empty list for a pipeline the loop has not recorded',
    schema: {
      example: [
        {
          epoch: 1,
          state: 'closed',
          events: 400,
          examples: 400,
          dataset: {
            bucket: 'gyre-datasets',
            keys: ['fraud/epoch-0001/training.parquet'],
            rowCount: 400,
            checksum: '9f2c…',
            card: {
              rows: 400,
              positives: 14,
              labelRate: 0.035,
              heldOutRows: 80,
              heldOutShare: 0.2,
              eventTime: { from: 1795400000000, to: 1795403600000 },
              featureDefinition: 'fraud.card-features@1',
              features: [{ name: 'log_amount', mean: 3.9, std: 1.1, missing: 0 }],
            },
          },
          servedBy: null,
          live: { examples: 400, auc: 0.5, logLoss: 0.69, brier: 0.25, ece: 0.3 },
          trained: {
            version: 1,
            artifact: { bucket: 'gyre-models', key: 'fraud/v0001/model.json', checksum: 'sha256:…' },
            metrics: { examples: 80, positives: 6, auc: 0.93, logLoss: 0.07, brier: 0.02, ece: 0.01 },
          },
          openedAt: '2026-12-07T02:00:00.000Z',
          closedAt: '2026-12-07T02:01:00.000Z',
          trainingSeconds: 0.4,
          datasetUris: ['s3://gyre-datasets/fraud/epoch-0001/training.parquet'],
          modelUri: 's3://gyre-models/fraud/v0001/model.json',
          scoredBy: [{ version: null, shadowVersion: null, events: 400 }],
          roleChanges: [],
        },
        {
          epoch: 3,
          state: 'closed',
          scoredBy: [{ version: 1, shadowVersion: 2, events: 400 }],
          roleChanges: [
            {
              version: 2,
              fromRole: 'challenger',
              toRole: 'champion',
              reason: 'log loss 0.1600 < 0.2539 (margin 0) on 358 matured events',
              actor: 'gyre:auto-promotion',
              comparison: null,
              at: '2026-12-07T02:03:10.000Z',
            },
          ],
        },
      ],
    },
  })
  @ApiBadRequestResponse({ description: 'invalid-loop-query: no pipeline (problem+json)' })
  async epochs(@Query('pipeline') pipeline: string | undefined): Promise<EpochSummary[]> {
    return this.report.epochs(requiredPipeline(pipeline));
  }

  @Get('epochs/:epoch/lineage')
  @ApiOperation({
    summary:
      "An epoch's lineage: its input dataset, the model that scored it, the model it trained, their metrics",
  })
  @ApiQuery({ name: 'pipeline', required: true, description: 'the loop pipeline, e.g. fraud-demo-<run>' })
  @ApiOkResponse({ description: 'the epoch, with dataset (S3 keys, rows, checksum) and model versions' })
  @ApiBadRequestResponse({
    description: 'invalid-loop-query: no pipeline, or an epoch not a positive integer',
  })
  async lineage(
    @Param('epoch', new PositiveIntegerParam('epoch')) epoch: number,
    @Query('pipeline') pipeline: string | undefined,
  ): Promise<EpochLineage> {
    const name = requiredPipeline(pipeline);
    const lineage = await this.report.lineage(name, epoch);
    if (!lineage) throw new NotFoundException(`pipeline "${name}" has no epoch ${epoch}`);
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
