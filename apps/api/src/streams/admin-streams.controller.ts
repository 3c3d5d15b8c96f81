import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { StreamCatalog, StreamDefinition, StreamView } from '@gyre/streams';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { Actor } from '../auth/actor';
import { bodyValidator } from './request-validation';
import {
  CREATE_STREAM_BODY,
  CreateStreamDto,
  StreamDto,
  UPDATE_SCHEMA_BODY,
  UpdateSchemaDto,
} from './stream.dto';

const createBody = bodyValidator<StreamDefinition>(CREATE_STREAM_BODY);
const updateSchemaBody = bodyValidator<{ schema: Record<string, unknown> }>(UPDATE_SCHEMA_BODY);

/** Operators' stream administration (admin keys only): each change is audited with the caller's key id. */
@ApiTags('admin: streams')
@Controller('admin/streams')
export class AdminStreamsController {
  constructor(private readonly catalog: StreamCatalog) {}

  @Post()
  @ApiOperation({
    summary: 'Create a stream: partitioned topic, JSON schema in Pulsar, record and schema version 1',
  })
  @ApiBody({ type: CreateStreamDto })
  @ApiCreatedResponse({ type: StreamDto })
  @ApiProblems({
    400: 'body malformed',
    409: 'a stream with this name exists',
    422: 'invalid name, partitions, retention or JSON Schema',
    502: "Pulsar's admin API failed",
  })
  create(@Body() body: unknown, @Actor() actor: string): Promise<StreamView> {
    return this.catalog.create(createBody(body), actor);
  }

  @Get()
  @ApiOperation({ summary: 'List streams' })
  @ApiOkResponse({ type: [StreamDto] })
  list(): Promise<StreamView[]> {
    return this.catalog.list();
  }

  @Get(':stream')
  @ApiOperation({ summary: 'Describe a stream with its current schema' })
  @ApiOkResponse({ type: StreamDto })
  @ApiProblems({ 404: 'no such stream' })
  describe(@Param('stream') stream: string): Promise<StreamView> {
    return this.catalog.describe(stream);
  }

  @Put(':stream/schema')
  @ApiOperation({
    summary: 'Add a schema version',
    description:
      'Refused (409) unless backward compatible: no new required field, no removed property, no narrowed type, enum, bound or format. The same schema again changes nothing.',
  })
  @ApiBody({ type: UpdateSchemaDto })
  @ApiOkResponse({ type: StreamDto })
  @ApiProblems({
    400: 'body malformed',
    404: 'no such stream',
    409: 'incompatible schema change (each reason in errors)',
    422: 'invalid JSON Schema',
    502: "Pulsar's admin API failed",
  })
  updateSchema(
    @Param('stream') stream: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<StreamView> {
    return this.catalog.updateSchema(stream, updateSchemaBody(body).schema, actor);
  }

  @Delete(':stream')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a stream, its topic and every event in it' })
  @ApiQuery({ name: 'confirm', required: true, description: 'must repeat the stream name' })
  @ApiProblems({
    400: 'confirm missing or not the stream name',
    404: 'no such stream',
    502: "Pulsar's admin API failed",
  })
  async delete(
    @Param('stream') stream: string,
    @Query('confirm') confirm: string | undefined,
    @Actor() actor: string,
  ): Promise<void> {
    await this.catalog.delete(stream, confirm, actor);
  }
}
