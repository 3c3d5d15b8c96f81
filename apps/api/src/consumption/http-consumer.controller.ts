import { Readable } from 'node:stream';
import { Body, Controller, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
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
  LeasedMessageDto,
  StreamDto,
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
interface StreamBody {
  credits: number;
  leaseMs?: number;
  durationMs?: number;
  maxRedeliveries?: number;
  initialPosition?: 'Latest' | 'Earliest';
}
interface ExtendBody {
  leaseTokens: string[];
  leaseMs?: number;
}

const TOKENS = { type: 'array', minItems: 1, maxItems: MAX_PULL, items: { type: 'string', maxLength: 512 } };
const MAX_STREAM_MS = 3_600_000;
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
  private readonly streamBody: (body: unknown) => StreamBody;
  private readonly defaultLeaseMs: number;

  constructor(
    private readonly consumption: HttpConsumptionService,
    config: GyreConfig,
  ) {
    const { maxWaitMs, maxLeaseMs } = config.consume;
    this.defaultLeaseMs = config.consume.defaultLeaseMs;
    const leaseMs = { type: 'integer', minimum: 1000, maximum: maxLeaseMs };
    // What a pull and a stream both take: how long a lease runs, and how the subscription is created.
    const leasing = {
      leaseMs,
      maxRedeliveries: { type: 'integer', minimum: 0, maximum: 1000 },
      initialPosition: { enum: ['Latest', 'Earliest'] },
    };
    const body = <T>(required: string[], properties: object) =>
      bodyValidator<T>({ type: 'object', required, additionalProperties: false, properties });
    this.pullBody = body<PullBody>(['max'], {
      max: { type: 'integer', minimum: 1, maximum: MAX_PULL },
      waitMs: { type: 'integer', minimum: 0, maximum: maxWaitMs },
      ...leasing,
    });
    this.streamBody = body<StreamBody>(['credits'], {
      credits: { type: 'integer', minimum: 1, maximum: MAX_PULL },
      durationMs: { type: 'integer', minimum: 1000, maximum: MAX_STREAM_MS },
      ...leasing,
    });
    this.ackBody = body<{ leaseTokens: string[] }>(['leaseTokens'], { leaseTokens: TOKENS });
    this.nackBody = body<NackBody>(['leaseTokens'], {
      leaseTokens: TOKENS,
      delayMs: { type: 'integer', minimum: 0, maximum: maxLeaseMs },
    });
    this.extendBody = body<ExtendBody>(['leaseTokens'], { leaseTokens: TOKENS, leaseMs });
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

  @Post('messages::stream')
  @ConsumerEndpoint()
  @HttpCode(200)
  @Header('Content-Type', 'application/x-ndjson; charset=utf-8')
  @ApiOperation({
    summary: 'Stream leased messages as NDJSON, with credit-based flow control',
    description:
      'A long-lived response, one leased message per line (the objects of :pull), as they arrive. At most ' +
      '`credits` of its leases run at once: each one acked, nacked (on any instance) or expired gives one ' +
      'back, so neither side buffers more. Ack and nack in batches with :ack and :nack. The response ends ' +
      'after durationMs (default 300000), when the client closes it, or when the instance shuts down: ' +
      'reconnect, and the leases already sent stay valid. Errors before the first line are problem+json.',
  })
  @ApiBody({ type: StreamDto })
  @ApiOkResponse({ description: 'NDJSON: one LeasedMessage per line', type: LeasedMessageDto })
  @ApiProblems({
    400: 'body malformed, or an invalid subscription name',
    404: 'no such stream',
    409: 'maxRedeliveries differs from the one the subscription is consumed with on this instance',
    503: 'Pulsar unreachable or slow: retry after Retry-After seconds',
  })
  async stream(
    @Param('stream') stream: string,
    @Param('sub') subscription: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const {
      credits,
      leaseMs,
      durationMs = 300_000,
      maxRedeliveries,
      initialPosition,
    } = this.streamBody(body);
    const closed = new AbortController();
    reply.raw.once('close', () => closed.abort());
    const lines = this.consumption.stream(
      { stream, subscription, credits, leaseMs, durationMs, maxRedeliveries, initialPosition },
      closed.signal,
    );
    // The first step opens the subscription (and yields nothing), so its problems answer as problem+json.
    await lines.next();
    return Readable.from(lines, { objectMode: false, highWaterMark: 1 });
  }

  @Post('messages::ack')
  @ConsumerEndpoint()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge leased messages: one result per token',
    description:
      'An expired lease is not acked: its message was or will be redelivered. An acked message is never ' +
      'redelivered because another message of its request (batch entry) was nacked or expired. With ' +
      'CONSUME_ACK_MODE=committed (default) the answer comes after a Pulsar transaction committed the acks, ' +
      'so an acked message is not redelivered after an API or broker crash either; if the commit fails the ' +
      'request gets consume-unavailable (503) and the leases run on: retry the same tokens.',
  })
  @ApiBody({ type: AckDto })
  @ApiOkResponse({ type: SettleResultsDto })
  @ApiProblems({
    ...SETTLE_PROBLEMS,
    503: 'Pulsar did not commit the acks (Retry-After); the leases run on: retry the same tokens',
  })
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
