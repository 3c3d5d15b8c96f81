import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PARTITIONS, STREAM_NAME } from '@gyre/streams';

const EXAMPLE_SCHEMA = {
  type: 'object',
  required: ['user', 'amount'],
  properties: { user: { type: 'string' }, amount: { type: 'number', minimum: 0 } },
};

export class RetentionDto {
  @ApiProperty({ example: 10080, description: 'minutes to keep acknowledged events (-1 = forever)' })
  minutes!: number;

  @ApiProperty({ example: -1, description: 'megabytes to keep per partition (-1 = unlimited)' })
  sizeMb!: number;
}

export class CreateStreamDto {
  @ApiProperty({ example: 'clicks', pattern: STREAM_NAME.source })
  name!: string;

  @ApiProperty({ example: 'ranking' })
  ownerTeam!: string;

  @ApiProperty({ example: 4, minimum: 1, maximum: MAX_PARTITIONS })
  partitions!: number;

  @ApiProperty({
    example: EXAMPLE_SCHEMA,
    description: 'JSON Schema (draft-07) of the payload; "type" must be "object"',
  })
  schema!: Record<string, unknown>;

  @ApiPropertyOptional({ type: RetentionDto, description: "omitted: the namespace's infinite retention" })
  retention?: RetentionDto;
}

export class UpdateSchemaDto {
  @ApiProperty({
    example: { ...EXAMPLE_SCHEMA, properties: { ...EXAMPLE_SCHEMA.properties, country: { type: 'string' } } },
  })
  schema!: Record<string, unknown>;
}

export class StreamDto {
  @ApiProperty({ example: 'clicks' })
  name!: string;

  @ApiProperty({ example: 'persistent://gyre/streams/clicks' })
  topic!: string;

  @ApiProperty({ example: 'ranking' })
  ownerTeam!: string;

  @ApiProperty({ example: 4 })
  partitions!: number;

  @ApiProperty({ example: 1 })
  schemaVersion!: number;

  @ApiProperty({ example: EXAMPLE_SCHEMA })
  schema!: Record<string, unknown>;

  @ApiProperty({ type: RetentionDto, nullable: true })
  retention!: RetentionDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** The bodies' JSON Schemas, checked at the edge before the service runs. */
export const CREATE_STREAM_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'ownerTeam', 'partitions', 'schema'],
  properties: {
    name: { type: 'string' },
    ownerTeam: { type: 'string', minLength: 1, maxLength: 200 },
    partitions: { type: 'integer' },
    schema: { type: 'object' },
    retention: {
      type: 'object',
      additionalProperties: false,
      required: ['minutes', 'sizeMb'],
      properties: { minutes: { type: 'integer' }, sizeMb: { type: 'integer' } },
    },
  },
};

export const UPDATE_SCHEMA_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['schema'],
  properties: { schema: { type: 'object' } },
};
