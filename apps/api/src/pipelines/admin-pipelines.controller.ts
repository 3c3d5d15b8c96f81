import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pipeline, PipelineService, PipelineStatusService, PipelineStatusView } from '@gyre/pipelines';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { InvalidRequestException } from '../problem-details/problem-details';

const STAGE_EXAMPLE = {
  name: 'infer',
  input: {
    stream: 'features',
    subscription: 'fraud.infer',
    subscriptionType: 'Shared',
    initialPosition: 'Latest',
  },
  handler: 'fraud.infer.v1',
  outputs: ['predictions'],
  concurrency: 8,
  batchSize: 32,
  // Or 'exactly-once' (with transactionTimeoutMs): each handling in one Pulsar transaction (docs/pipelines.md).
  delivery: 'at-least-once',
  retry: { maxAttempts: 5, initialBackoffMs: 1000, maxBackoffMs: 60000, multiplier: 2 },
  parameters: { output: 'predictions', scorer: 'built-in' },
};
const PIPELINE_EXAMPLE = {
  name: 'fraud',
  version: 3,
  definition: { stages: [STAGE_EXAMPLE] },
  updatedAt: '2026-11-23T22:00:00.000Z',
};
const DEFINITION_PROBLEMS = {
  422: 'the definition is invalid; `errors` names each problem by JSON pointer (invalid-pipeline-definition)',
};

/**
 * Pipeline definitions (stored in Postgres; workers pick a change up within WORKERS_PIPELINE_POLL_INTERVAL_MS,
 * without a redeploy) and the status of their stages and workers (admin keys).
 */
@ApiTags('admin: pipelines')
@Controller('admin/pipelines')
export class AdminPipelinesController {
  constructor(
    private readonly pipelines: PipelineService,
    private readonly status: PipelineStatusService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every stored pipeline, by name' })
  @ApiOkResponse({ schema: { example: { pipelines: [PIPELINE_EXAMPLE] } } })
  async list(): Promise<{ pipelines: Pipeline[] }> {
    return { pipelines: await this.pipelines.list() };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a pipeline (version 1)',
    description:
      'The body is the definition with its name. Defaults (subscription, retry, concurrency) are filled in. ' +
      "A stage's `delivery` is `at-least-once` (default) or `exactly-once` (outputs and input acks in one Pulsar " +
      'transaction per handling; `transactionTimeoutMs`, default 60000).',
  })
  @ApiBody({ schema: { example: { name: 'fraud', stages: [STAGE_EXAMPLE] } } })
  @ApiCreatedResponse({ schema: { example: { ...PIPELINE_EXAMPLE, version: 1 } } })
  @ApiProblems({ ...DEFINITION_PROBLEMS, 409: 'a pipeline of that name exists (pipeline-version-conflict)' })
  create(@Body() body: unknown): Promise<Pipeline> {
    const { name, ...definition } = (isObject(body) ? body : {}) as { name?: unknown };
    return this.pipelines.save(typeof name === 'string' ? name : '', definition, { expectedVersion: 0 });
  }

  @Get(':name')
  @ApiOperation({ summary: 'A pipeline: its version and validated definition' })
  @ApiOkResponse({ schema: { example: PIPELINE_EXAMPLE } })
  @ApiProblems({ 404: 'no such pipeline (pipeline-not-found)' })
  describe(@Param('name') name: string): Promise<Pipeline> {
    return this.pipelines.get(name);
  }

  @Put(':name')
  @ApiOperation({
    summary: 'Create or replace a pipeline',
    description:
      'The body is the definition. Any change bumps the version (an identical definition keeps it); with expectedVersion, a concurrent change is refused.',
  })
  @ApiQuery({ name: 'expectedVersion', required: false, description: 'the version read (0: must not exist)' })
  @ApiBody({ schema: { example: { stages: [STAGE_EXAMPLE] } } })
  @ApiOkResponse({ schema: { example: PIPELINE_EXAMPLE } })
  @ApiProblems({
    ...DEFINITION_PROBLEMS,
    400: 'expectedVersion is not a non-negative integer (invalid-request)',
    404: 'expectedVersion given but no such pipeline (pipeline-not-found)',
    409: 'the pipeline is at another version (pipeline-version-conflict)',
  })
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @Query('expectedVersion') expectedVersion: string | undefined,
  ): Promise<Pipeline> {
    return this.pipelines.save(name, body, { expectedVersion: parseVersion(expectedVersion) });
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a pipeline; workers drain and stop its stages on their next poll' })
  @ApiProblems({ 404: 'no such pipeline (pipeline-not-found)' })
  async remove(@Param('name') name: string): Promise<void> {
    await this.pipelines.delete(name);
  }

  @Get(':name/status')
  @ApiOperation({
    summary: 'Each stage: lag (subscription backlog), totals, and each worker (state, counters, last seen)',
    description: `Workers report after every pipeline poll; one not seen for 30 s is stale: shown with state \`gone\` (its last reported state in lastReportedState) and left out of the totals.`,
  })
  @ApiOkResponse({
    schema: {
      example: {
        pipeline: 'fraud',
        version: 3,
        stages: [
          {
            name: 'infer',
            handler: 'fraud.infer.v1',
            input: { stream: 'features', subscription: 'fraud.infer', subscriptionType: 'Shared' },
            lag: 12,
            processed: 5400,
            failures: { retried: 3, deadLettered: 0 },
            inFlight: 8,
            workers: [
              {
                worker: 'host-4242-1a2b3c4d',
                host: 'host',
                pid: 4242,
                state: 'running',
                lastReportedState: 'running',
                inFlight: 8,
                processed: 5400,
                retried: 3,
                deadLettered: 0,
                lastSeen: '2026-11-23T22:00:01.000Z',
                stale: false,
              },
            ],
          },
        ],
      },
    },
  })
  @ApiProblems({ 404: 'no such pipeline (pipeline-not-found)' })
  stageStatus(@Param('name') name: string): Promise<PipelineStatusView> {
    return this.status.status(name);
  }
}

function parseVersion(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw))
    throw new InvalidRequestException(
      'invalid-request',
      400,
      'expectedVersion must be a non-negative integer',
      [{ pointer: '/expectedVersion', detail: 'must be a non-negative integer' }],
    );
  return Number(raw);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
