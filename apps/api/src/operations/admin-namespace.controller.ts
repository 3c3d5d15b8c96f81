import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NamespacePolicies, NamespacePolicyChanges, NamespacePolicyService } from '@gyre/stream-operations';
import { Actor } from '../auth/actor';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { bodyValidator } from '../streams/request-validation';
import { NAMESPACE_POLICIES_BODY } from './operations.dto';

const changesBody = bodyValidator<NamespacePolicyChanges>(NAMESPACE_POLICIES_BODY);
const EXAMPLE = {
  namespace: 'gyre/streams',
  retention: { minutes: -1, sizeMb: -1 },
  offloadThresholdBytes: 67108864,
  offloadDeletionLagMs: 3600000,
  deduplication: true,
};

/** The streams namespace's policies (admin keys only). */
@ApiTags('admin: namespace')
@Controller('admin/namespace/policies')
export class AdminNamespaceController {
  constructor(private readonly policies: NamespacePolicyService) {}

  @Get()
  @ApiOperation({
    summary: 'Retention, offload threshold, deletion lag and deduplication of the streams namespace',
  })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblems({ 502: "Pulsar's admin API failed", 503: "Pulsar's admin API is unreachable (Retry-After)" })
  read(): Promise<NamespacePolicies> {
    return this.policies.read();
  }

  @Put()
  @ApiOperation({
    summary: 'Change some of the policies',
    description:
      'Every Gyre process re-applies the configured values (TIER_OFFLOAD_*, infinite retention, deduplication on) when it starts: change the configuration too for a lasting change.',
  })
  @ApiBody({ schema: { example: { offloadThresholdBytes: 0, deduplication: true } } })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  @ApiProblems({
    400: 'body malformed (invalid-request)',
    502: "Pulsar's admin API failed",
    503: "Pulsar's admin API is unreachable (Retry-After)",
  })
  update(@Body() body: unknown, @Actor() actor: string): Promise<NamespacePolicies> {
    return this.policies.update(changesBody(body), actor);
  }
}
