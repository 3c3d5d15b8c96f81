import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedKey, scopeAllows } from '@gyre/auth';
import { StreamSample, StreamSamples, StreamTiers, StreamTierTotals } from '@gyre/stream-operations';
import { StreamCatalog, StreamView } from '@gyre/streams';
import { ReaderEndpoint } from '../auth/access.decorator';
import { CallerKey } from '../auth/actor';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { StreamDto } from './stream.dto';

const SAMPLE_EXAMPLE: StreamSample = {
  at: 1796860800000,
  messagesIn: 12840,
  rateIn: 212.5,
  storageBytes: 3145728,
  subscriptions: { 'fraud-infer': { backlog: 40, rateOut: 208.1 } },
};

/**
 * Read-only views for every role (the console's pages): the calling key, the streams in its scope and
 * their time series. Operators' full views stay under /admin.
 */
@ApiTags('streams')
@Controller('v1')
export class StreamReadsController {
  constructor(
    private readonly catalog: StreamCatalog,
    private readonly samples: StreamSamples,
    private readonly tiers: StreamTiers,
  ) {}

  @Get('key')
  @ReaderEndpoint()
  @ApiOperation({
    summary: 'The calling key: its id, name, role and scope (the console shows what it allows)',
  })
  @ApiOkResponse({
    schema: { example: { id: 'k_3f9a', name: 'ops-console', role: 'consumer', scope: { kind: 'all' } } },
  })
  key(@CallerKey() key: AuthenticatedKey): AuthenticatedKey {
    return { id: key.id, name: key.name, role: key.role, scope: key.scope };
  }

  @Get('streams')
  @ReaderEndpoint()
  @ApiOperation({ summary: "List the streams in the calling key's scope" })
  @ApiOkResponse({ type: [StreamDto] })
  async streams(@CallerKey() key: AuthenticatedKey): Promise<StreamView[]> {
    return (await this.catalog.list()).filter((stream) => scopeAllows(key.scope, stream.name));
  }

  @Get('streams/:stream/samples')
  @ReaderEndpoint('stream')
  @ApiOperation({
    summary:
      "A stream's recent time series: rate in, storage, and per subscription its backlog (entries: a batch is one) and rate out",
    description:
      "Sampled from Pulsar's stats when read, at most once a second, and kept in this API process (the last 300 samples of up to 500 streams): the series grows while someone reads it. Prometheus's gyre_* metrics are the durable history.",
  })
  @ApiOkResponse({ schema: { example: [SAMPLE_EXAMPLE] } })
  @ApiProblems({
    403: "the stream is outside the key's scope",
    404: 'no such stream',
    502: "Pulsar's admin API refused or failed the call",
    503: "Pulsar's admin API is unreachable or slow (Retry-After)",
  })
  streamSamples(@Param('stream') stream: string): Promise<StreamSample[]> {
    return this.samples.read(stream);
  }

  @Get('streams/:stream/tiers')
  @ReaderEndpoint('stream')
  @ApiOperation({
    summary: "A stream's bytes and ledgers per storage tier: BookKeeper and S3 (offloaded)",
    description:
      "From each partition's internal stats (every ledger's `offloaded` flag and `size`): no listing of the tiered bucket, so cheap enough for every stream of the console's overview. Read at most once per 10 s per stream and kept in this API process for up to 500 streams (`readAt` says when). During the offload deletion lag an offloaded ledger is still in BookKeeper too; the admin storage report (`GET /admin/streams/{stream}/storage`) tells, and checks the bucket.",
  })
  @ApiOkResponse({
    schema: {
      example: {
        stream: 'transactions',
        bookKeeper: { ledgers: 2, bytes: 1048576 },
        s3: { ledgers: 14, bytes: 73400320 },
        readAt: '2026-12-07T05:30:00.000Z',
      },
    },
  })
  @ApiProblems({
    403: "the stream is outside the key's scope",
    404: 'no such stream',
    502: "Pulsar's admin API refused or failed the call",
    503: "Pulsar's admin API is unreachable or slow (Retry-After)",
  })
  streamTiers(@Param('stream') stream: string): Promise<StreamTierTotals> {
    return this.tiers.read(stream);
  }
}
