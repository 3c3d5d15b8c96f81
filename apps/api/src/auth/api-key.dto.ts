import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApiKeyScopeDto {
  @ApiProperty({ enum: ['all', 'streams', 'prefix'], example: 'prefix' })
  kind!: string;

  @ApiPropertyOptional({ type: [String], example: ['clicks', 'views'], description: 'with kind streams' })
  streams?: string[];

  @ApiPropertyOptional({ example: 'ranking.', description: 'with kind prefix' })
  prefix?: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ranking-ingest', description: 'unique among live keys' })
  name!: string;

  @ApiProperty({ enum: ['producer', 'consumer', 'admin'], example: 'producer' })
  role!: string;

  @ApiPropertyOptional({
    type: ApiKeyScopeDto,
    description: 'streams the key reaches; default all. An admin key must have scope all.',
  })
  scope?: ApiKeyScopeDto;
}

export class ApiKeyDto {
  @ApiProperty({ example: '3f9c2a71d0b84e6f' })
  id!: string;

  @ApiProperty({ example: 'ranking-ingest' })
  name!: string;

  @ApiProperty({ enum: ['producer', 'consumer', 'admin'] })
  role!: string;

  @ApiProperty({ type: ApiKeyScopeDto })
  scope!: ApiKeyScopeDto;

  @ApiProperty({ example: '3f9c2a71d0b84e6f', description: 'key id (or cli:<user>) that created it' })
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true })
  rotatedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, description: 'updated at most once a minute' })
  lastUsedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true })
  revokedAt!: string | null;
}

export class IssuedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'gyre_3f9c2a71d0b84e6f_4mQ9v0yq1Zb6cR8tXo2wKjH5nL7pS3dF0aGeUiBvYcE',
    description: 'the whole key, for Authorization: Bearer; shown only in this response',
  })
  secret!: string;
}

/** The create body's JSON Schema, checked at the edge; roles and scopes are checked by the service (422). */
export const CREATE_API_KEY_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string' },
    scope: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } } },
  },
};
