import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../../../apps/api/src/api-app';
import { ModelRolesStore, ModelRolesView, RoleChangeResult } from './model-roles.store';

const COMPARISON_EXAMPLE = {
  champion: 1,
  challenger: 2,
  maturedEvents: 380,
  positives: 14,
  scores: { champion: { auc: 0.81, logLoss: 0.142 }, challenger: { auc: 0.93, logLoss: 0.097 } },
};

/**
 * Champion and challenger of a loop pipeline (admin keys only): its model versions with their roles and the live
 * comparison, an admin's promotion of the challenger, and rollback to an earlier version. Every change is
 * audited (GET /admin/audit-log) and kept in the pipeline's role changes.
 */
@ApiTags('admin: pipelines')
@Controller('admin/pipelines/:name/models')
export class ModelRolesController {
  constructor(private readonly roles: ModelRolesStore) {}

  @Get()
  @ApiOperation({
    summary:
      "A loop pipeline's model versions with their role (champion, challenger, retired), the challenger against the champion on the same matured events, and every role change",
  })
  @ApiOkResponse({
    schema: {
      example: {
        pipeline: 'fraud-demo-x',
        versions: [
          {
            version: 1,
            epoch: 1,
            role: 'champion',
            createdAt: '2026-12-07T04:00:00.000Z',
            heldOut: { auc: 0.9 },
          },
          {
            version: 2,
            epoch: 2,
            role: 'challenger',
            createdAt: '2026-12-07T04:01:00.000Z',
            heldOut: { auc: 0.93 },
          },
        ],
        comparison: COMPARISON_EXAMPLE,
        changes: [
          {
            version: 2,
            fromRole: null,
            toRole: 'challenger',
            reason: 'trained; shadows champion v1',
            actor: 'gyre:train',
            comparison: null,
            at: '2026-12-07T04:01:00.000Z',
          },
        ],
      },
    },
  })
  view(@Param('name') name: string): Promise<ModelRolesView> {
    return this.roles.view(name);
  }

  // One route: Fastify's router cannot tell apart two routes that differ only after a parameter and a colon.
  @Post(':change')
  @HttpCode(200)
  @ApiOperation({
    summary: 'POST .../models/{version}:promote or .../models/{version}:rollback',
    description:
      '`{version}:promote` makes the challenger the champion now, whatever the comparison (recorded with the change); the champion retires. `{version}:rollback` makes an earlier version the champion again in one call; the champion retires, a challenger keeps its shadow role. Repeating either changes nothing (`changed: false`).',
  })
  @ApiParam({
    name: 'change',
    example: '2:promote',
    description: '`<version>:promote` or `<version>:rollback`',
  })
  @ApiOkResponse({
    schema: { example: { changed: true, champion: 2, challenger: null, comparison: COMPARISON_EXAMPLE } },
  })
  @ApiNotFoundResponse({
    description: 'no such version in the pipeline (model-version-not-found), or not a promote/rollback path',
  })
  @ApiConflictResponse({
    description:
      'promoting a version that is not the challenger, or rolling back to a newer one (model-role-conflict)',
  })
  change(
    @Param('name') name: string,
    @Param('change') change: string,
    @Actor() actor: string,
  ): Promise<RoleChangeResult> {
    const parsed = /^([1-9][0-9]{0,8}):(promote|rollback)$/.exec(change);
    if (!parsed)
      throw new NotFoundException(`no route ${change}: use <version>:promote or <version>:rollback`);
    const version = Number(parsed[1]);
    return parsed[2] === 'promote'
      ? this.roles.promote(name, version, actor)
      : this.roles.rollback(name, version, actor);
  }
}
