import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FeatureVersionService, FeatureVersionSwitched, parseFeatureVersionSwitch } from '@gyre/replay';
import { Actor } from '../auth/actor';
import { ApiProblems } from '../problem-details/api-problems.decorator';

/** Feature rebuilds' last step: the live pipeline computes another feature-definition version (admin keys). */
@ApiTags('admin: replays')
@Controller('admin/pipelines')
export class AdminFeatureVersionsController {
  constructor(private readonly featureVersions: FeatureVersionService) {}

  @Post(':name/feature-version')
  @HttpCode(200)
  @ApiOperation({
    summary: "Switch a live pipeline's stage (default prepare) to a feature-definition version",
    description:
      "Sets the stage's featureDefinition parameter (a new pipeline version); the workers pick it up within WORKERS_PIPELINE_POLL_INTERVAL_MS and restart the stage. expectedVersion guards against a concurrent change.",
  })
  @ApiBody({
    schema: { example: { featureDefinition: 'fraud.card-features@2', stage: 'prepare', expectedVersion: 3 } },
  })
  @ApiOkResponse({
    schema: {
      example: {
        pipeline: 'fraud',
        version: 4,
        stage: 'prepare',
        featureDefinition: 'fraud.card-features@2',
        previous: null,
      },
    },
  })
  @ApiProblems({
    404: 'no such pipeline or stage (pipeline-not-found, stage-not-found)',
    409: 'the pipeline changed since expectedVersion (pipeline-version-conflict)',
    422: 'unknown feature definition or a bad body (invalid-feature-version-switch)',
  })
  switch(
    @Param('name') name: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<FeatureVersionSwitched> {
    return this.featureVersions.switch(name, parseFeatureVersionSwitch(body), actor);
  }
}
