import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SchemaCompatibility, SchemaVersionView, StreamSchemas } from '@gyre/streams';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { bodyValidator } from './request-validation';
import { UPDATE_SCHEMA_BODY } from './stream.dto';

const proposalBody = bodyValidator<{ schema: Record<string, unknown> }>(UPDATE_SCHEMA_BODY);

/** A stream's schema history and a dry run of a schema change (admin keys only; nothing is changed). */
@ApiTags('admin: streams')
@Controller('admin/streams/:stream/schema')
export class AdminStreamSchemasController {
  constructor(private readonly schemas: StreamSchemas) {}

  @Get('versions')
  @ApiOperation({ summary: "A stream's schema versions, newest first, with who added each and when" })
  @ApiOkResponse({
    schema: {
      example: [
        {
          version: 2,
          schema: { type: 'object', properties: { user: { type: 'string' } } },
          pulsarVersion: 1,
          createdBy: 'key_3f2a',
          createdAt: '2026-12-07T02:00:00.000Z',
        },
      ],
    },
  })
  @ApiProblems({ 404: 'no such stream' })
  versions(@Param('stream') stream: string): Promise<SchemaVersionView[]> {
    return this.schemas.versions(stream);
  }

  @Post('compatibility')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a proposed schema against the current version without changing anything',
    description:
      'The same rule as PUT /admin/streams/{stream}/schema: backward compatible means no new required field, no removed property, no narrowed type, enum, bound or format. `problems` has one entry per finding.',
  })
  @ApiBody({ schema: { example: { schema: { type: 'object', required: ['user'] } } } })
  @ApiOkResponse({
    schema: {
      example: {
        against: 1,
        compatible: false,
        unchanged: false,
        problems: [{ pointer: '/schema/required', detail: 'user newly required' }],
      },
    },
  })
  @ApiProblems({ 400: 'body malformed', 404: 'no such stream', 422: 'invalid JSON Schema' })
  check(@Param('stream') stream: string, @Body() body: unknown): Promise<SchemaCompatibility> {
    return this.schemas.check(stream, proposalBody(body).schema);
  }
}
