import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_PEEK, NewestEvents } from '@gyre/stream-operations';
import { messagesJson } from '@gyre/streams';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { intQuery } from './operations.dto';
import { PEEKED_MESSAGE_EXAMPLE } from './operations.examples';

/** A live sample of a stream: its newest events, whoever has or has not read them (admin keys only). */
@ApiTags('admin: subscriptions')
@Controller('admin/streams/:stream/events')
export class AdminStreamEventsController {
  constructor(private readonly newest: NewestEvents) {}

  @Get('newest')
  // Serialised here (each payload as stored), as the subscription peek is.
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: "The stream's newest N events, newest first, without a subscription and without consuming",
    description:
      "Read with Pulsar's examine-message from the end of each partition, batches split, merged by publish time. Payloads as in the subscription peek.",
  })
  @ApiQuery({ name: 'count', required: false, description: `1 to ${MAX_PEEK}, default 10` })
  @ApiOkResponse({ schema: { example: [PEEKED_MESSAGE_EXAMPLE] } })
  @ApiProblems({
    400: 'count not an integer in range (invalid-request)',
    404: 'no such stream',
    502: "Pulsar's admin API refused or failed the call",
    503: "Pulsar's admin API is unreachable or slow (Retry-After)",
  })
  async newestEvents(
    @Param('stream') stream: string,
    @Query('count') count: string | undefined,
  ): Promise<string> {
    return messagesJson(
      await this.newest.of(stream, intQuery(count, 'count', { min: 1, max: MAX_PEEK, fallback: 10 })!),
    );
  }
}
