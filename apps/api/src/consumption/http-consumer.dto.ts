import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PULL } from '@gyre/http-consumption';

export class PullDto {
  @ApiProperty({ example: 100, minimum: 1, maximum: MAX_PULL, description: 'most messages to lease' })
  max!: number;

  @ApiPropertyOptional({
    example: 20000,
    minimum: 0,
    description: 'long poll: how long to wait for a first message (at most CONSUME_MAX_WAIT_MS); default 0',
  })
  waitMs?: number;

  @ApiPropertyOptional({
    example: 30000,
    minimum: 1000,
    description: 'how long the leases last (at most CONSUME_MAX_LEASE_MS); default CONSUME_DEFAULT_LEASE_MS',
  })
  leaseMs?: number;

  @ApiPropertyOptional({
    example: 5,
    minimum: 0,
    maximum: 1000,
    description:
      'redeliveries before a message goes to <topic>-<subscription>-DLQ; default CONSUME_MAX_REDELIVERIES. Must match while the subscription is consumed on this instance.',
  })
  maxRedeliveries?: number;

  @ApiPropertyOptional({
    enum: ['Latest', 'Earliest'],
    description: 'where a subscription that does not exist yet starts (default Latest, as in Pulsar)',
  })
  initialPosition?: 'Latest' | 'Earliest';
}

export class LeasedMessageDto {
  @ApiProperty({ description: 'opaque; redeem it with :ack or :nack before leaseExpiresAt' })
  leaseToken!: string;

  @ApiProperty({ example: 'CLMBEAAgADAA', description: "Pulsar's message id, opaque (as ingestion answers)" })
  messageId!: string;

  @ApiProperty({ example: 'u-17', nullable: true, type: String })
  key!: string | null;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z', nullable: true, type: String })
  eventTime!: string | null;

  @ApiProperty({ example: '2026-11-23T10:00:00.120Z' })
  publishTime!: string;

  @ApiProperty({ example: { source: 'web' }, type: 'object', additionalProperties: { type: 'string' } })
  properties!: Record<string, string>;

  @ApiProperty({ example: 0, description: 'earlier deliveries of this message (broker count)' })
  redeliveryCount!: number;

  @ApiProperty({ example: { user: 'u-17', amount: 12.5 }, description: 'the JSON payload as ingested' })
  payload!: unknown;

  @ApiPropertyOptional({ description: 'only for a non-JSON message published outside Gyre: its bytes' })
  payloadBase64?: string;
}

export class PullResultDto {
  @ApiProperty({ type: [LeasedMessageDto], description: 'empty when nothing arrived within waitMs' })
  messages!: LeasedMessageDto[];

  @ApiProperty({ example: '2026-11-23T10:00:30.120Z' })
  leaseExpiresAt!: string;
}

export class AckDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_PULL })
  leaseTokens!: string[];
}

export class NackDto extends AckDto {
  @ApiPropertyOptional({
    example: 5000,
    minimum: 0,
    description: 'redeliver after this long (at most CONSUME_MAX_LEASE_MS); default 0',
  })
  delayMs?: number;
}

export class SettleResultDto {
  @ApiProperty({ example: 0, description: 'position of the token in the request' })
  index!: number;

  @ApiProperty({ example: 'CLMBEAAgADAA', nullable: true, type: String })
  messageId!: string | null;

  @ApiProperty({
    enum: ['acked', 'nacked', 'expired', 'unknown', 'misdirected'],
    description:
      'acked / nacked: what happened to the lease (a repeat answers the same); expired: the lease ran out, the message was or will be redelivered; unknown: no such lease (e.g. its API instance closed its consumer or is gone: redelivered); misdirected: leased by another API instance that does not share CONSUME_LEASE_TOKEN_SECRET with this one (it is redelivered when its lease ends)',
  })
  result!: string;
}

export class SettleResultsDto {
  @ApiProperty({ type: [SettleResultDto] })
  results!: SettleResultDto[];
}

export class ExtendDto extends AckDto {
  @ApiPropertyOptional({
    example: 60000,
    minimum: 1000,
    description:
      'the leases end this long from now (at most CONSUME_MAX_LEASE_MS); default CONSUME_DEFAULT_LEASE_MS',
  })
  leaseMs?: number;
}

export class ExtendResultDto extends SettleResultDto {
  @ApiProperty({
    enum: ['extended', 'acked', 'nacked', 'unknown', 'misdirected'],
    description:
      'extended: the lease now ends leaseMs from the request; otherwise how the lease ended (as for :ack)',
  })
  declare result: string;

  @ApiPropertyOptional({ description: 'only when extended: the token carrying the new expiry' })
  leaseToken?: string;
}

export class ExtendResultsDto {
  @ApiProperty({ type: [ExtendResultDto] })
  results!: ExtendResultDto[];
}

export class StreamDto {
  @ApiProperty({
    example: 50,
    minimum: 1,
    maximum: MAX_PULL,
    description: 'most leases of this stream running at once: the messages the worker can take',
  })
  credits!: number;

  @ApiPropertyOptional({ example: 30000, minimum: 1000, description: 'as for :pull' })
  leaseMs?: number;

  @ApiPropertyOptional({
    example: 300000,
    minimum: 1000,
    maximum: 3600000,
    description: 'when the response ends',
  })
  durationMs?: number;

  @ApiPropertyOptional({ example: 5, minimum: 0, maximum: 1000, description: 'as for :pull' })
  maxRedeliveries?: number;

  @ApiPropertyOptional({ enum: ['Latest', 'Earliest'], description: 'as for :pull' })
  initialPosition?: 'Latest' | 'Earliest';
}
