import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyDefinition, ApiKeyService, ApiKeyView, IssuedApiKey } from '@gyre/auth';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { bodyValidator } from '../streams/request-validation';
import { Actor } from './actor';
import { ApiKeyDto, CREATE_API_KEY_BODY, CreateApiKeyDto, IssuedApiKeyDto } from './api-key.dto';

const createBody = bodyValidator<Omit<ApiKeyDefinition, 'scope'> & Partial<ApiKeyDefinition>>(
  CREATE_API_KEY_BODY,
);

/** Operators' API-key administration (admin keys only); each change is audited with the caller's key id. */
@ApiTags('admin: api keys')
@Controller('admin/api-keys')
export class AdminApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the response carries its secret, which is never shown again' })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  @ApiProblems({
    400: 'body malformed',
    409: 'a live key with this name exists',
    422: 'invalid name, role or scope (each field in errors)',
  })
  async create(@Body() body: unknown, @Actor() actor: string): Promise<ApiKeyView & { secret: string }> {
    const { name, role, scope = { kind: 'all' } } = createBody(body);
    return flatten(await this.keys.create({ name, role, scope }, actor));
  }

  @Get()
  @ApiOperation({ summary: 'List API keys, revoked ones included; never their secrets' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate a key: a new secret for the same id, role and scope; the old secret stops working',
  })
  @ApiOkResponse({ type: IssuedApiKeyDto })
  @ApiProblems({ 404: 'no such key', 409: 'the key is revoked' })
  async rotate(@Param('id') id: string, @Actor() actor: string): Promise<ApiKeyView & { secret: string }> {
    return flatten(await this.keys.rotate(id, actor));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key for good (revoking it again changes nothing)' })
  @ApiProblems({ 404: 'no such key' })
  async revoke(@Param('id') id: string, @Actor() actor: string): Promise<void> {
    await this.keys.revoke(id, actor);
  }
}

function flatten({ key, secret }: IssuedApiKey): ApiKeyView & { secret: string } {
  return { ...key, secret };
}
