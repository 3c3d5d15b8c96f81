import { Body, Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GyreConfig } from '@gyre/config';
import {
  ExtendResult,
  HttpConsumptionService,
  MAX_PULL,
  pullResultJson,
  SettleResult,
} from '@gyre/http-consumption';
import { ConsumerEndpoint } from '../auth/access.decorator';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { bodyValidator } from '../streams/request-validation';
import {
  AckDto,
  ExtendDto,
  ExtendResultsDto,
  NackDto,
  PullDto,
  PullResultDto,
  SettleResultsDto,
} from './http-consumer.dto';

type PullBody = PullDto;
interface NackBody {
  leaseTokens: string[];
  delayMs?: number;
}
interface ExtendBody {
  leaseTokens: string[];
  leaseMs?: number;
}

const TOKENS = { type: 'array', minItems: 1, maxItems: MAX_PULL, items: { type: 'string', maxLength: 512 } };
const SETTLE_PROBLEMS = {
  400: 'body malformed, or a lease token not issued for this subscription (named in errors; nothing settled)',
};

/** A queue consumer over HTTP for workers without a Pulsar client: pull leases, then ack or nack them. */
@ApiTags('consumption')
@Controller('v1/streams/:stream/subscriptions/:sub')
export class HttpConsumerController {
  private readonly pullBody: (body: unknown) => PullBody;
  private readonly ackBody: (body: unknown) => { leaseTokens: string[] };
  private readonly nackBody: (body: unknown) => NackBody;
  private readonly extendBody: (body: unknown) => ExtendBody;
  private readonly defaultLeaseMs: number;

  constructor(
    private readonly consumption: HttpConsumptionService,
    config: GyreConfig,
  ) {
    const { maxWaitMs, maxLeaseMs } = config.consume;
    this.defaultLeaseMs = config.consume.defaultLeaseMs;
    this.pullBody = bodyValidator<PullBody>({
      type: 'object',
      required: ['max'],
      additionalProperties: false,
      properties: {
        max: { type: 'integer', minimum: 1, maximum: MAX_PULL },
        waitMs: { type: 'integer', minimum: 0, maximum: maxWaitMs },
        leaseMs: { type: 'integer', minimum: 1000, maximum: maxLeaseMs },
        maxRedeliveries: { type: 'integer', minimum: 0, maximum: 1000 },
        initialPosition: { enum: ['Latest', 'Earliest'] },
      },
    });
    this.ackBody = bodyValidator({
      type: 'object',
      required: ['leaseTokens'],
      additionalProperties: false,
      properties: { leaseTokens: TOKENS },
    });
    this.nackBody = bodyValidator<NackBody>({
      type: 'object',
      required: ['leaseTokens'],
      additionalProperties: false,
      properties: { leaseTokens: TOKENS, delayMs: { type: 'integer', minimum: 0, maximum: maxLeaseMs } },
    });
    this.extendBody = bodyValidator<ExtendBody>({
      type: 'object',
      required: ['leaseTokens'],
      additionalProperties: false,
      properties: { leaseTokens: TOKENS, leaseMs: { type: 'integer', minimum: 1000, maximum: maxLeaseMs } },
    });
  }

  @Post('messages::pull')
  @ConsumerEndpoint()
  @HttpCode(200)
  // Serialised here (payload text spliced in as published), so Fastify sends the string as it is.
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'Lease up to `max` messages of a Shared subscription (long poll)',
    description:
      'Waits up to waitMs for a first message, then returns what is there, up to max. Each message is leased until leaseExpiresAt: ack it, nack it, or it is redelivered. The subscription is created on first use (initialPosition).',
  })
  @ApiBody({ type: PullDto })
  @ApiOkResponse({ type: PullResultDto })
  @ApiProblems({
    400: 'body malformed, or an invalid subscription name',
    404: 'no such stream',
    409: 'maxRedeliveries differs from the one the subscription is consumed with on this instance',
    429: 'too many messages leased on this subscription here (CONSUME_MAX_LEASES_PER_CONSUMER): settle some, retry after Retry-After',
    503: 'Pulsar unreachable or slow: retry after Retry-After seconds',
  })
  async pull(
    @Param('stream') stream: string,
    @Param('sub') subscription: string,
    @Body() body: unknown,
  ): Promise<string> {
    const { max, waitMs = 0, leaseMs, maxRedeliveries, initialPosition } = this.pullBody(body);
    const result = await this.consumption.pull({
      stream,
      subscription,
      max,
      waitMs,
      leaseMs,
      maxRedeliveries,
      initialPosition,
    });
    return pullResultJson(result);
  }

  @Post('messages::ack')
  @ConsumerEndpoint()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge leased messages: one result per token',
    description:
      'An expired lease is not acked: its message was or will be redelivered. An acked message is never ' +
      'redelivered because another message of its request (batch entry) was nacked or expired.',
  })
  @ApiBody({ type: AckDto })
  @ApiOkResponse({ type: SettleResultsDto })
  @ApiProblems(SETTLE_PROBLEMS)
  async ack(
    @Param('stream') stream: string,
    @Param('sub') subscription: string,
    @Body() body: unknown,
  ): Promise<{ results: SettleResult[] }> {
    return { results: await this.consumption.ack(stream, subscription, this.ackBody(body).leaseTokens) };
  }

  @Post('messages::nack')
  @ConsumerEndpoint()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give leased messages back for redelivery, after delayMs: one result per token',
    description:
      'The redelivery is counted by the broker; past maxRedeliveries the message goes to the DLQ. Only the ' +
      'nacked messages come back, once no other message of their batch entry is still leased here: ' +
      'delayMs is a minimum.',
  })
  @ApiBody({ type: NackDto })
  @ApiOkResponse({ type: SettleResultsDto })
  @ApiProblems(SETTLE_PROBLEMS)
  async nack(
    @Param('stream') stream: string,
    @Param('sub') subscription: string,
    @Body() body: unknown,
  ): Promise<{ results: SettleResult[] }> {
    const { leaseTokens, delayMs } = this.nackBody(body);
    return { results: await this.consumption.nack(stream, subscription, leaseTokens, delayMs) };
  }

  @Post('messages::extend')
  @ConsumerEndpoint()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend leases to leaseMs from now (like SQS ChangeMessageVisibility): one result per token',
    description:
      'Each extended lease gets a new leaseToken carrying its new expiry (the old one still settles it). ' +
      'Any API instance accepts any token when they share CONSUME_LEASE_TOKEN_SECRET. A lease already ' +
      'past its end refuses the whole request (lease-expired) and nothing is extended; an acked, nacked ' +
      'or unknown lease is answered as such, without a new token.',
  })
  @ApiBody({ type: ExtendDto })
  @ApiOkResponse({ type: ExtendResultsDto })
  @ApiProblems({ ...SETTLE_PROBLEMS, 410: 'a lease already ran out (named in errors; nothing extended)' })
  async extend(
    @Param('stream') stream: string,
    @Param('sub') subscription: string,
    @Body() body: unknown,
  ): Promise<{ results: ExtendResult[] }> {
    const { leaseTokens, leaseMs = this.defaultLeaseMs } = this.extendBody(body);
    return { results: await this.consumption.extend(stream, subscription, leaseTokens, leaseMs) };
  }
}
