import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  DeadLetterRedriver,
  DeadLetterSummary,
  DeadLetterTopics,
  MAX_PEEK,
  RedriveResult,
} from '@gyre/stream-operations';
import { messagesJson } from '@gyre/streams';
import { Actor } from '../auth/actor';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { bodyValidator } from '../streams/request-validation';
import { intQuery, REDRIVE_BODY } from './operations.dto';

const redriveBody = bodyValidator<{ messageIds?: string[]; limit?: number }>(REDRIVE_BODY);
const FAILURES = {
  404: 'no such stream, or the subscription has no dead-letter topic (dead-letter-topic-not-found)',
  502: "Pulsar's admin API refused or failed the call",
  503: "Pulsar's admin API is unreachable or slow (Retry-After)",
};

/** The dead-letter topic of a stream's subscription, `<topic>-<subscription>-DLQ` (admin keys only). */
@ApiTags('admin: dead letters')
@Controller('admin/streams/:stream/subscriptions/:subscription/dead-letters')
export class AdminDeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetterTopics,
    private readonly redriver: DeadLetterRedriver,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Size and rate of the dead-letter topic',
    description:
      "`pending`: letters not yet redriven or purged (the backlog of Gyre's `gyre-redrive` subscription on the DLQ) and the age of the oldest; `totalMessages`, `storageBytes`: every letter ever written; `msgRateIn`: letters per second.",
  })
  @ApiOkResponse({
    schema: {
      example: {
        stream: 'clicks',
        subscription: 'scorer',
        topic: 'persistent://gyre/streams/clicks-scorer-DLQ',
        pending: { messages: 3, ageSeconds: 812.5, oldestPublishTime: '2025-01-31T12:00:00.000Z' },
        totalMessages: 5,
        storageBytes: 2048,
        msgRateIn: 0.1,
      },
    },
  })
  @ApiProblems(FAILURES)
  summary(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
  ): Promise<DeadLetterSummary> {
    return this.deadLetters.summary(stream, subscription);
  }

  @Get('messages')
  // Serialised here (each payload as stored, not parsed and serialised again), so Fastify sends it as it is.
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'Browse pending letters with why each failed',
    description:
      '`failure` holds gyre-failure-reason / gyre-failure-code / gyre-stage / gyre-attempts when a Gyre stage wrote the letter, and the Pulsar-standard REAL_TOPIC / ORIGIN_MESSAGE_ID. Payloads as in peek: the stored JSON text, or payloadBase64.',
  })
  @ApiQuery({ name: 'count', required: false, description: `1 to ${MAX_PEEK}, default 10` })
  @ApiProblems({ 400: 'count not an integer in range', ...FAILURES })
  async browse(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Query('count') count: string | undefined,
  ): Promise<string> {
    const letters = await this.deadLetters.browse(
      stream,
      subscription,
      intQuery(count, 'count', { min: 1, max: MAX_PEEK, fallback: 10 })!,
    );
    return messagesJson(letters);
  }

  @Post('redrive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Republish letters to the stream, then acknowledge them in the DLQ (exactly once)',
    description:
      "Without messageIds, up to `limit` (default 1000) pending letters. Key, properties (minus the DLQ and failure ones, plus gyre-redriven-from), event time and payload are kept. A redrive interrupted by a crash and retried never republishes a letter twice: each letter is recorded with a sequence id before it is published by the DLQ's fixed redrive producer, and broker deduplication drops a resend that had landed.",
  })
  @ApiBody({ schema: { example: { messageIds: ['12:0:-1'] } } })
  @ApiOkResponse({
    schema: {
      example: {
        redriven: [{ deadLetterId: '12:0:-1', messageId: 'CAcQAxgA', partition: 0, resent: false }],
        remaining: 2,
      },
    },
  })
  @ApiProblems({ 400: 'body malformed or a bad message id (invalid-message-id)', ...FAILURES })
  redrive(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<RedriveResult> {
    return this.redriver.redrive(stream, subscription, redriveBody(body ?? {}), actor);
  }

  @Post('purge')
  @HttpCode(200)
  @ApiOperation({
    summary: "Drop every pending letter from Gyre's redrive (they stay in the topic's history)",
  })
  @ApiQuery({ name: 'confirm', required: true, description: 'must be `<stream>-<subscription>-DLQ`' })
  @ApiProblems({ 400: 'confirm missing or wrong (operation-not-confirmed)', ...FAILURES })
  purge(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Query('confirm') confirm: string | undefined,
    @Actor() actor: string,
  ): Promise<DeadLetterSummary> {
    return this.deadLetters.purge(stream, subscription, confirm, actor);
  }
}
