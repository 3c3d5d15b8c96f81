import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ConnectedConsumer,
  ConnectedProducer,
  OffloadProgress,
  StorageReport,
  StreamConnections,
  StreamStorage,
  StreamStoragePolicies,
} from '@gyre/stream-operations';
import { Actor } from '../auth/actor';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { bodyValidator } from '../streams/request-validation';
import { STREAM_STORAGE_POLICIES_BODY } from './operations.dto';

const policiesBody = bodyValidator<Partial<StreamStoragePolicies>>(STREAM_STORAGE_POLICIES_BODY);
const FAILURES = {
  404: 'no such stream',
  502: "Pulsar's admin API refused or failed the call",
  503: "Pulsar's admin API (or the tiered bucket) is unreachable or slow (Retry-After)",
};

/** Where a stream's events are stored, offloading, storage policies, and who is connected (admin keys only). */
@ApiTags('admin: storage and connections')
@Controller('admin/streams/:stream')
export class AdminStorageController {
  constructor(
    private readonly storage: StreamStorage,
    private readonly connections: StreamConnections,
  ) {}

  @Get('storage')
  @ApiOperation({
    summary: 'Bytes and ledgers in BookKeeper vs offloaded to S3, cross-checked with the bucket',
    description:
      "From each partition's internal stats (with BookKeeper metadata) and a listing of the tiered bucket; objects match ledgers by their `<uuid>-ledger-<id>` and `-index` keys. `s3.missingLedgers`: offloaded ledgers without a data object.",
  })
  @ApiOkResponse({
    schema: {
      example: {
        stream: 'clicks',
        bucket: 'gyre-tiered',
        bookKeeper: { ledgers: 1, bytes: 1024 },
        offloaded: { ledgers: 3, bytes: 61440 },
        s3: { objects: 6, bytes: 63000, missingLedgers: [] },
        ledgers: [
          {
            partition: 0,
            ledgerId: 12,
            entries: 20,
            bytes: 20480,
            offloaded: true,
            inBookKeeper: false,
            s3: { dataBytes: 20900, indexBytes: 100 },
          },
        ],
      },
    },
  })
  @ApiProblems(FAILURES)
  report(@Param('stream') stream: string): Promise<StorageReport> {
    return this.storage.report(stream);
  }

  @Post('storage/offload')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Offload every closed ledger of every partition to S3 now; answers with the status',
  })
  @ApiOkResponse({ schema: { example: [{ partition: 0, status: 'RUNNING', lastError: null }] } })
  @ApiProblems({ ...FAILURES, 409: 'an offload is already running on every partition (offload-in-progress)' })
  offload(@Param('stream') stream: string, @Actor() actor: string): Promise<OffloadProgress[]> {
    return this.storage.offloadNow(stream, actor);
  }

  @Get('storage/offload')
  @ApiOperation({
    summary: 'Status of the last offload of each partition (NOT_RUN, RUNNING, SUCCESS, ERROR)',
  })
  @ApiProblems(FAILURES)
  offloadStatus(@Param('stream') stream: string): Promise<OffloadProgress[]> {
    return this.storage.offloadStatus(stream);
  }

  @Get('storage/policies')
  @ApiOperation({
    summary: "The stream's own retention, offload threshold and deletion lag (null: the namespace's)",
  })
  @ApiProblems(FAILURES)
  policies(@Param('stream') stream: string): Promise<StreamStoragePolicies> {
    return this.storage.policies(stream);
  }

  @Put('storage/policies')
  @ApiOperation({
    summary: 'Set topic-level retention, offload threshold and deletion lag; null goes back to the namespace',
  })
  @ApiBody({
    schema: {
      example: {
        retention: { minutes: -1, sizeMb: -1 },
        offloadThresholdBytes: 0,
        offloadDeletionLagMs: 60000,
      },
    },
  })
  @ApiProblems({ 400: 'body malformed (invalid-request)', ...FAILURES })
  updatePolicies(
    @Param('stream') stream: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<StreamStoragePolicies> {
    return this.storage.updatePolicies(stream, policiesBody(body), actor);
  }

  @Get('connections')
  @ApiOperation({ summary: 'Producers and consumers connected to each partition' })
  @ApiProblems(FAILURES)
  connected(
    @Param('stream') stream: string,
  ): Promise<{ producers: ConnectedProducer[]; consumers: ConnectedConsumer[] }> {
    return this.connections.of(stream);
  }
}
