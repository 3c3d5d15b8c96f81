import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { applyThresholdChanges, DEFAULT_MONITORING_THRESHOLDS } from '@gyre/ml';
import type { MonitoringThresholds } from '@gyre/ml';
import {
  DEFAULT_ROLLING_WINDOW,
  LoopMonitoring,
  MonitoringQuery,
  MonitoringReport,
  MonitoringWindowKind,
} from './loop-monitoring.service';
import type { MonitoringRole } from './loop-monitoring.store';
import { oneOf, optionalInteger, PositiveIntegerParam, requiredPipeline } from './loop-query';

const PIPELINE_QUERY = {
  name: 'pipeline',
  required: true,
  description: 'the loop pipeline, e.g. fraud-demo-<run>',
};
const MAX_ROLLING_WINDOW = 100_000;
const ROLE_QUERY = {
  name: 'role',
  required: false,
  enum: ['served', 'shadow'],
  description:
    "only this role's windows: `served` (the version's scores were the predictions) or `shadow` (the challenger's scores of the same events, never served); both by default",
};

const SERVED_EXAMPLE = {
  modelVersion: 1,
  role: 'served',
  epoch: 2,
  eventTime: { from: 1795400000000, to: 1795403600000 },
  predictions: 400,
  labelled: 380,
  positives: 12,
  featureDrift: [{ feature: 'merchant_fraud_rate', psi: 0.31 }],
  featurePsiMax: 0.31,
  predictionPsi: 0.12,
  calibration: {
    ece: 0.021,
    bins: [{ lower: 0, upper: 0.1, count: 350, meanPrediction: 0.02, observedRate: 0.011 }],
  },
  live: { auc: 0.91, logLoss: 0.08 },
  crossings: [{ measure: 'featurePsi', feature: 'merchant_fraud_rate', value: 0.31, threshold: 0.2 }],
};

const REPORT_EXAMPLE = {
  pipeline: 'fraud-demo-1',
  window: 'epoch',
  size: null,
  thresholds: DEFAULT_MONITORING_THRESHOLDS,
  models: [
    SERVED_EXAMPLE,
    // The challenger's scores of the same 400 events, against its own training rows.
    {
      ...SERVED_EXAMPLE,
      modelVersion: 2,
      role: 'shadow',
      featureDrift: [{ feature: 'merchant_fraud_rate', psi: 0.08 }],
      featurePsiMax: 0.08,
      predictionPsi: 0.05,
      calibration: { ...SERVED_EXAMPLE.calibration, ece: 0.015 },
      live: { auc: 0.94, logLoss: 0.06 },
      crossings: [],
    },
  ],
};

/**
 * Model monitoring of the fraud loop (admin keys only, like every /admin route): drift, calibration and live
 * performance per epoch or rolling window of each model version that served, and of each challenger that scored
 * in shadow (its own windows, marked `role: 'shadow'`), an evaluation on request, and the pipeline's thresholds.
 */
@ApiTags('admin: pipelines')
@ApiBadRequestResponse({
  description:
    'invalid-loop-query: no pipeline, or a bad window, epoch, version, role or size, named in `errors`',
})
@ApiNotFoundResponse({ description: 'a pipeline the loop has not recorded (problem+json)' })
@Controller('admin/monitoring')
export class LoopMonitoringController {
  constructor(private readonly monitoring: LoopMonitoring) {}

  @Get()
  @ApiOperation({
    summary:
      "Each model version's feature drift (PSI per feature against its training rows), prediction drift, calibration (ECE, reliability curve) and live AUC / log loss, per epoch or over a rolling window: the served version's predictions (`role: 'served'`) and the challenger's shadow scores of the same events (`role: 'shadow'`), each against its own training rows",
  })
  @ApiQuery(PIPELINE_QUERY)
  @ApiQuery({ name: 'window', required: false, enum: ['epoch', 'rolling'], description: 'default epoch' })
  @ApiQuery({ name: 'epoch', required: false, description: 'epoch windows: only this epoch' })
  @ApiQuery({ name: 'version', required: false, description: 'only this model version' })
  @ApiQuery(ROLE_QUERY)
  @ApiQuery({
    name: 'size',
    required: false,
    description: `rolling window: the latest scores of each version in each role (default ${DEFAULT_ROLLING_WINDOW})`,
  })
  @ApiOkResponse({ schema: { example: REPORT_EXAMPLE } })
  report(
    @Query('pipeline') pipeline: string | undefined,
    @Query('window') window: string | undefined,
    @Query('epoch') epoch: string | undefined,
    @Query('version') version: string | undefined,
    @Query('role') role: string | undefined,
    @Query('size') size: string | undefined,
  ): Promise<MonitoringReport> {
    // Every parameter is checked before the pipeline is looked up: a bad query is 400 for any pipeline.
    const query = parseQuery({ window, epoch, version, role, size });
    return this.found(pipeline, (name) => this.monitoring.report(name, query));
  }

  @Get('versions/:version')
  @ApiOperation({
    summary:
      "One model version's monitoring, per epoch it served or scored in shadow, or over a rolling window (a window per role)",
  })
  @ApiQuery(PIPELINE_QUERY)
  @ApiQuery({ name: 'window', required: false, enum: ['epoch', 'rolling'], description: 'default epoch' })
  @ApiQuery(ROLE_QUERY)
  @ApiOkResponse({ schema: { example: { ...REPORT_EXAMPLE, models: [SERVED_EXAMPLE] } } })
  version(
    @Param('version', new PositiveIntegerParam('version')) version: number,
    @Query('pipeline') pipeline: string | undefined,
    @Query('window') window: string | undefined,
    @Query('role') role: string | undefined,
    @Query('size') size: string | undefined,
  ): Promise<MonitoringReport> {
    const query = { ...parseQuery({ window, role, size }), version };
    return this.found(pipeline, (name) => this.monitoring.report(name, query));
  }

  @Post('evaluations')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Evaluates now (the API also does when an epoch closes), served and shadow windows alike: sets the gyre_model_* gauges and reports each newly crossed threshold (metric, log line, audit entry), each with its `role`',
  })
  @ApiQuery(PIPELINE_QUERY)
  @ApiQuery({
    name: 'epoch',
    required: false,
    description: "only this epoch's windows (and the rolling one)",
  })
  @ApiOkResponse({
    schema: {
      example: {
        epoch: REPORT_EXAMPLE,
        rolling: { ...REPORT_EXAMPLE, window: 'rolling', size: DEFAULT_ROLLING_WINDOW },
        crossed: [
          {
            modelVersion: 1,
            role: 'served',
            window: 'epoch:2',
            measure: 'featurePsi',
            feature: 'merchant_fraud_rate',
            value: 0.31,
            threshold: 0.2,
          },
        ],
      },
    },
  })
  evaluate(
    @Query('pipeline') pipeline: string | undefined,
    @Query('epoch') epoch: string | undefined,
  ): Promise<NonNullable<Awaited<ReturnType<LoopMonitoring['evaluate']>>>> {
    const only = optionalInteger('epoch', epoch, 1);
    return this.found(pipeline, (name) => this.monitoring.evaluate(name, only));
  }

  @Get('thresholds')
  @ApiOperation({ summary: "The pipeline's monitoring thresholds (the defaults until an admin sets them)" })
  @ApiQuery(PIPELINE_QUERY)
  @ApiOkResponse({ schema: { example: DEFAULT_MONITORING_THRESHOLDS } })
  thresholds(@Query('pipeline') pipeline: string | undefined): Promise<MonitoringThresholds> {
    return this.found(pipeline, (name) => this.monitoring.thresholds(name));
  }

  @Patch('thresholds')
  @ApiOperation({
    summary:
      "Changes some of the pipeline's thresholds (audited as monitoring.thresholds.update); 422 names each bad field",
  })
  @ApiQuery(PIPELINE_QUERY)
  @ApiBody({
    schema: {
      example: {
        featurePsi: 0.25,
        featurePsiPerFeature: { log_card_history: 1 },
        featurePsiExcluded: [],
        ece: 0.03,
      },
    },
  })
  @ApiUnprocessableEntityResponse({
    description: 'invalid-monitoring-thresholds: each bad field in `errors` by JSON pointer',
  })
  @ApiOkResponse({ schema: { example: { ...DEFAULT_MONITORING_THRESHOLDS, featurePsi: 0.25, ece: 0.03 } } })
  updateThresholds(
    @Query('pipeline') pipeline: string | undefined,
    @Body() body: unknown,
    @Req() request: { apiKey?: { id: string } },
  ): Promise<MonitoringThresholds> {
    return this.found(pipeline, (name) =>
      this.monitoring.updateThresholds(
        name,
        (current) => applyThresholdChanges(current, body),
        request.apiKey?.id ?? 'unknown',
      ),
    );
  }

  /** Runs `action` for a pipeline the loop has recorded; 400 without one, 404 for an unknown one. */
  private async found<T>(
    pipeline: string | undefined,
    action: (name: string) => Promise<T | undefined>,
  ): Promise<T> {
    const name = requiredPipeline(pipeline);
    const result = (await this.monitoring.knows(name)) ? await action(name) : undefined;
    if (result === undefined) throw new NotFoundException(`the loop has not recorded pipeline "${name}"`);
    return result;
  }
}

function parseQuery(raw: {
  window?: string;
  epoch?: string;
  version?: string;
  role?: string;
  size?: string;
}): MonitoringQuery {
  return {
    window: oneOf<MonitoringWindowKind>('window', raw.window, ['epoch', 'rolling'], 'epoch'),
    epoch: optionalInteger('epoch', raw.epoch, 1),
    version: optionalInteger('version', raw.version, 1),
    // No role: both roles' windows (so oneOf's fallback is never used).
    role:
      raw.role === undefined
        ? undefined
        : oneOf<MonitoringRole>('role', raw.role, ['served', 'shadow'], 'served'),
    size: optionalInteger('size', raw.size, 1, MAX_ROLLING_WINDOW),
  };
}
