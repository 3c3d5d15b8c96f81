import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class EventDto {
  @ApiProperty({
    example: { user: 'u-17', amount: 12.5 },
    description: "validated against the stream's JSON Schema",
  })
  payload!: unknown;

  @ApiPropertyOptional({
    example: 'u-17',
    description: 'ordering and Key_Shared routing key; picks the partition',
  })
  key?: string;

  @ApiPropertyOptional({
    example: '2026-11-23T10:00:00Z',
    description: 'RFC 3339 date-time or milliseconds since the epoch',
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }],
  })
  eventTime?: string | number;

  @ApiPropertyOptional({
    example: { source: 'web' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  properties?: Record<string, string>;

  @ApiPropertyOptional({
    example: 'click-8f2a',
    description: 'an event whose id was published within the idempotency window is not published again',
  })
  id?: string;
}

export class PublishedEventDto {
  @ApiProperty({ example: 0 })
  index!: number;

  @ApiProperty({
    example: 'CLMBEAAgADAA',
    nullable: true,
    description: "Pulsar's message id, opaque (base64url of its protobuf MessageIdData)",
  })
  messageId!: string | null;

  @ApiPropertyOptional({ example: 'click-8f2a' })
  id?: string;

  @ApiProperty({
    example: false,
    description: 'true when the event id had already been published: not published again',
  })
  duplicate!: boolean;
}

export class IngestResultDto {
  @ApiProperty({ example: 'clicks' })
  stream!: string;

  @ApiProperty({ type: [PublishedEventDto] })
  events!: PublishedEventDto[];
}
