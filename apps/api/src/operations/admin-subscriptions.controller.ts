import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_PEEK, ResetTarget, SubscriptionOperations, SubscriptionView } from '@gyre/stream-operations';
import { messagesJson } from '@gyre/streams';
import { Actor } from '../auth/actor';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { bodyValidator } from '../streams/request-validation';
import { CREATE_SUBSCRIPTION_BODY, intQuery, RESET_CURSOR_BODY, SKIP_BODY } from './operations.dto';
import { PEEKED_MESSAGE_EXAMPLE, SUBSCRIPTION_EXAMPLE } from './operations.examples';

const createBody = bodyValidator<{ name: string; at?: 'earliest' | 'latest'; messageId?: string }>(
  CREATE_SUBSCRIPTION_BODY,
);
const resetBody = bodyValidator<ResetTarget>(RESET_CURSOR_BODY);
const skipBody = bodyValidator<{ count: number; partition?: number }>(SKIP_BODY);
const ADMIN_FAILURES = {
  502: "Pulsar's admin API refused or failed the call",
  503: "Pulsar's admin API is unreachable or slow (Retry-After)",
};

/** Subscriptions of a stream (admin keys only); every change is audited with the caller's key id. */
@ApiTags('admin: subscriptions')
@Controller('admin/streams/:stream/subscriptions')
export class AdminSubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionOperations) {}

  @Get()
  @ApiOperation({
    summary: 'List subscriptions with backlog in messages and in time, and rates',
    description:
      "Backlog age: per partition with a backlog, the publish time of the first unacknowledged entry (the admin API's peek at position 1, i.e. the entry after the mark-delete position that is not individually acknowledged); the oldest across partitions.",
  })
  @ApiOkResponse({ schema: { example: [SUBSCRIPTION_EXAMPLE] } })
  @ApiProblems({ 404: 'no such stream', ...ADMIN_FAILURES })
  list(@Param('stream') stream: string): Promise<SubscriptionView[]> {
    return this.subscriptions.list(stream);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a durable subscription at the earliest, the latest (default) or a message',
    description:
      "With messageId (Gyre's id or ledger:entry[:partition[:batchIndex]]), that message's partition starts there and the others at the latest.",
  })
  @ApiBody({ schema: { example: { name: 'ranking-trainer', at: 'earliest' } } })
  @ApiCreatedResponse({ schema: { example: SUBSCRIPTION_EXAMPLE } })
  @ApiProblems({
    400: 'body malformed, bad message id (invalid-message-id)',
    404: 'no such stream',
    409: 'the subscription exists (subscription-exists)',
    422: 'not a subscription name',
    ...ADMIN_FAILURES,
  })
  create(
    @Param('stream') stream: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<SubscriptionView> {
    const { name, at, messageId } = createBody(body);
    return this.subscriptions.create(stream, name, messageId ? { messageId } : { at: at ?? 'latest' }, actor);
  }

  @Get(':subscription')
  @ApiOperation({ summary: 'Describe a subscription' })
  @ApiOkResponse({ schema: { example: SUBSCRIPTION_EXAMPLE } })
  @ApiProblems({ 404: 'no such stream or subscription', ...ADMIN_FAILURES })
  describe(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
  ): Promise<SubscriptionView> {
    return this.subscriptions.describe(stream, subscription);
  }

  @Delete(':subscription')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a subscription on every partition (connected consumers are disconnected)',
  })
  @ApiProblems({ 404: 'no such stream or subscription', ...ADMIN_FAILURES })
  async delete(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Actor() actor: string,
  ): Promise<void> {
    await this.subscriptions.delete(stream, subscription, actor);
  }

  @Post(':subscription/reset-cursor')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset the cursor to a time (every partition) or to a message (its partition)',
    description:
      "`timestamp`: RFC 3339 or epoch ms; `messageId`: Gyre's opaque id or `ledger:entry[:partition[:batchIndex]]` (the partition may be left out on a one-partition stream).",
  })
  @ApiBody({ schema: { example: { timestamp: '2025-01-31T12:00:00Z' } } })
  @ApiOkResponse({ schema: { example: SUBSCRIPTION_EXAMPLE } })
  @ApiProblems({
    400: 'body malformed, bad timestamp (invalid-timestamp) or message id (invalid-message-id)',
    404: 'no such stream or subscription',
    ...ADMIN_FAILURES,
  })
  resetCursor(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<SubscriptionView> {
    return this.subscriptions.resetCursor(stream, subscription, resetBody(body), actor);
  }

  @Post(':subscription/skip')
  @HttpCode(200)
  @ApiOperation({ summary: 'Skip (acknowledge) the next N messages of one partition' })
  @ApiBody({ schema: { example: { count: 10, partition: 0 } } })
  @ApiOkResponse({ schema: { example: SUBSCRIPTION_EXAMPLE } })
  @ApiProblems({
    400: 'body malformed',
    404: 'no such stream or subscription',
    422: 'partition missing (stream with several) or out of range (invalid-policy)',
    ...ADMIN_FAILURES,
  })
  skip(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<SubscriptionView> {
    const { count, partition } = skipBody(body);
    return this.subscriptions.skip(stream, subscription, count, partition, actor);
  }

  @Post(':subscription/clear-backlog')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge every message of the subscription' })
  @ApiQuery({ name: 'confirm', required: true, description: 'must repeat the subscription name' })
  @ApiOkResponse({ schema: { example: SUBSCRIPTION_EXAMPLE } })
  @ApiProblems({
    400: 'confirm missing or wrong (operation-not-confirmed)',
    404: 'no such stream or subscription',
    ...ADMIN_FAILURES,
  })
  clearBacklog(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Query('confirm') confirm: string | undefined,
    @Actor() actor: string,
  ): Promise<SubscriptionView> {
    return this.subscriptions.clearBacklog(stream, subscription, confirm, actor);
  }

  @Get(':subscription/messages')
  // Serialised here (each payload as stored, not parsed and serialised again), so Fastify sends it as it is.
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'Peek the next N unacknowledged messages without consuming them',
    description:
      'Batched entries are split into their messages. A UTF-8 JSON payload comes back as the stored JSON text (an id beyond 2^53 is not rounded, 1.0 stays 1.0); other bytes come back as payloadBase64 with payload null.',
  })
  @ApiQuery({ name: 'count', required: false, description: `1 to ${MAX_PEEK}, default 10` })
  @ApiQuery({ name: 'partition', required: false, description: 'only this partition' })
  @ApiOkResponse({ schema: { example: [PEEKED_MESSAGE_EXAMPLE] } })
  @ApiProblems({
    400: 'count or partition not an integer in range (invalid-request)',
    404: 'no such stream or subscription',
    422: 'partition out of range',
    ...ADMIN_FAILURES,
  })
  async peek(
    @Param('stream') stream: string,
    @Param('subscription') subscription: string,
    @Query('count') count: string | undefined,
    @Query('partition') partition: string | undefined,
  ): Promise<string> {
    const messages = await this.subscriptions.peek(
      stream,
      subscription,
      intQuery(count, 'count', { min: 1, max: MAX_PEEK, fallback: 10 })!,
      intQuery(partition, 'partition', { min: 0, max: 127 }),
    );
    return messagesJson(messages);
  }
}
