import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseReplayRequest, ReplayAction, ReplayJobView, ReplayService } from '@gyre/replay';
import { Actor } from '../auth/actor';
import { ApiProblems } from '../problem-details/api-problems.decorator';

const JOB_EXAMPLE = {
  id: '0b8f6c1e-4a53-4f0e-9d55-3f1d2f5a8c11',
  state: 'running',
  source: 'clicks',
  start: { kind: 'earliest' },
  end: { kind: 'lastAtStart' },
  filter: { key: { prefix: 'user-' } },
  target: { kind: 'stream', stream: 'clicks-rebuild' },
  rateLimitPerSecond: 5000,
  events: 1200,
  scanned: 1500,
  bytes: 245760,
  estimated: 3000,
  ratePerSecond: 4980.2,
  etaSeconds: 0.3,
  partitions: [
    {
      partition: 0,
      startId: null,
      endId: 'CAwQBRgA',
      lastId: 'CAwQAxgA',
      scanned: 750,
      events: 600,
      bytes: 122880,
      estimated: 1500,
      done: false,
    },
  ],
  error: null,
  claims: 1,
  createdBy: 'key-id',
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: '2025-01-01T00:00:01.000Z',
  finishedAt: null,
};
const TRANSITION_FAILURES = {
  404: 'no such replay',
  409: 'the job is in a state that refuses this (replay-state-conflict)',
};

/** Replay jobs: a stream's history into a target, run by the workers (admin keys only). */
@ApiTags('admin: replays')
@Controller('admin/replays')
export class AdminReplaysController {
  constructor(private readonly replays: ReplayService) {}

  @Post()
  @ApiOperation({
    summary:
      'Start a replay of a stream into a stream, through a pipeline stage (feature rebuild) or into Parquet',
    description:
      'start: "earliest" (default), {timestamp} (publish time, RFC 3339 or epoch ms) or {messageId}/{messageIds} (one per partition, inclusive). end: "lastAtStart" (default: the last message of each partition now), {timestamp} or {messageId}/{messageIds}; never beyond the last message now. filter: {key: {equals}|{prefix}, properties: {name: value}}. target: {kind: "stream", stream} (created like the source when missing); {kind: "pipelineStage", pipeline, stage, featureDefinition: "id@version", output?} (a feature rebuild: the stage runs on the source, which must be its input, into the stream output, default <stage output>.v<version>, and a training dataset in S3); or {kind: "datasetExport", dataset} (Parquet parts under exports/<dataset>/<job id>/ in the datasets bucket; GET /admin/replays/{id}/dataset lists them). rateLimit: {eventsPerSecond}.',
  })
  @ApiBody({
    schema: {
      example: {
        source: 'clicks',
        start: 'earliest',
        end: 'lastAtStart',
        filter: { key: { prefix: 'user-' }, properties: { country: 'NZ' } },
        target: { kind: 'stream', stream: 'clicks-rebuild' },
        rateLimit: { eventsPerSecond: 5000 },
      },
    },
  })
  @ApiOkResponse({ schema: { example: { ...JOB_EXAMPLE, state: 'pending' } } })
  @ApiProblems({
    422: 'the request is invalid: unknown source stream, bad start/end, end before start (invalid-replay)',
    503: "the source's positions could not be read from Pulsar (Retry-After)",
  })
  create(@Body() body: unknown, @Actor() actor: string): Promise<ReplayJobView> {
    return this.replays.create(parseReplayRequest(body), actor);
  }

  @Get()
  @ApiOperation({ summary: 'Every replay job, newest first, with its progress' })
  list(): Promise<ReplayJobView[]> {
    return this.replays.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A replay job: state, progress per partition, events, bytes, rate and ETA' })
  @ApiOkResponse({ schema: { example: JOB_EXAMPLE } })
  @ApiProblems({ 404: 'no such replay' })
  get(@Param('id') id: string): Promise<ReplayJobView> {
    return this.replays.get(id);
  }

  @Get(':id/dataset')
  @ApiOperation({
    summary: 'The dataset a Parquet export or a feature rebuild writes: manifest, state and parts',
  })
  @ApiProblems({ 404: 'no such replay, or it writes no dataset' })
  dataset(@Param('id') id: string): Promise<unknown> {
    return this.replays.dataset(id);
  }

  @Post(':id(^[^:]+)::pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a pending or running replay; its worker checkpoints and lets it go' })
  @ApiProblems(TRANSITION_FAILURES)
  pause(@Param('id') id: string, @Actor() actor: string): Promise<ReplayJobView> {
    return this.transition(id, 'pause', actor);
  }

  @Post(':id(^[^:]+)::resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused replay from its checkpoints (any worker may take it)' })
  @ApiProblems(TRANSITION_FAILURES)
  resume(@Param('id') id: string, @Actor() actor: string): Promise<ReplayJobView> {
    return this.transition(id, 'resume', actor);
  }

  @Post(':id(^[^:]+)::cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a replay for good; what it published stays in the target' })
  @ApiProblems(TRANSITION_FAILURES)
  cancel(@Param('id') id: string, @Actor() actor: string): Promise<ReplayJobView> {
    return this.transition(id, 'cancel', actor);
  }

  private transition(id: string, action: ReplayAction, actor: string): Promise<ReplayJobView> {
    return this.replays.transition(id, action, actor);
  }
}
