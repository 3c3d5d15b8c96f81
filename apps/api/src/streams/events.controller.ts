import { Controller, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { EventsBody, IngestResult, IngestService } from '@gyre/ingest';
import { ProducerEndpoint } from '../auth/access.decorator';
import { NDJSON, rawBodyOf } from '../http/body-parsers';
import { ApiProblems, ProblemDto } from '../problem-details/api-problems.decorator';
import { InvalidRequestException } from '../problem-details/problem-details';
import { EventDto, IngestResultDto } from './event.dto';

/** The parts of Fastify's request and reply used here. */
interface Request {
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}
interface Reply {
  header(name: string, value: string): unknown;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Event ingestion for ML teams. */
@ApiTags('ingestion')
@ApiExtraModels(EventDto, ProblemDto)
@Controller('v1/streams')
export class EventsController {
  constructor(private readonly ingest: IngestService) {}

  @Post(':stream/events')
  @ProducerEndpoint()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish one event, a JSON array of events, or NDJSON',
    description:
      'All or nothing: one invalid event refuses the request and nothing is published. 202 only once the broker has persisted every event.',
  })
  @ApiConsumes('application/json', NDJSON)
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(EventDto) }, { type: 'array', items: { $ref: getSchemaPath(EventDto) } }],
    },
    description: `one event, an array of events, or (${NDJSON}) one event per line`,
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'a retry with the same key (and body) within the window returns the original result and publishes nothing',
  })
  @ApiAcceptedResponse({
    type: IngestResultDto,
    description: 'every event persisted; header Idempotent-Replayed: true when this is a stored result',
  })
  @ApiProblems({
    400: 'malformed JSON or NDJSON (malformed-json, malformed-events), a body not UTF-8 (malformed-utf8), or a bad Idempotency-Key',
    404: 'no such stream',
    409: 'Idempotency-Key or event id reused with another body, or the same request still in progress',
    413: 'an event or the request exceeds its size limit',
    415: 'Content-Type neither application/json nor application/x-ndjson',
    422: 'an event is invalid (errors name the index and field, e.g. /events/3/payload/amount), or a payload nests deeper than INGEST_MAX_PAYLOAD_DEPTH (payload-too-deep)',
    503: 'Pulsar slow or unreachable: nothing acknowledged; retry after Retry-After seconds',
  })
  async publish(
    @Param('stream') stream: string,
    @Req() request: Request,
    @Res({ passthrough: true }) reply: Reply,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<IngestResult> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new InvalidRequestException(
        'invalid-request',
        400,
        'Idempotency-Key must be 1-255 visible ASCII characters',
        [{ pointer: '/headers/idempotency-key', detail: 'must be 1-255 visible ASCII characters' }],
      );
    const outcome = await this.ingest.ingest({ stream, body: bodyOf(request), idempotencyKey });
    if (outcome.replayed) reply.header('Idempotent-Replayed', 'true');
    return outcome.result;
  }
}

function bodyOf(request: Request): EventsBody {
  // The body parsers (http/body-parsers.ts) accept exactly these two media types (Fastify answers 415
  // for others) and keep the raw bytes; an empty body has none.
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const raw = rawBodyOf(request);
  if (raw && type === 'application/json') return { kind: 'json', raw, body: request.body };
  if (raw && type === NDJSON) return { kind: 'ndjson', raw };
  throw new InvalidRequestException(
    'unsupported-media-type',
    415,
    `Content-Type must be application/json or ${NDJSON}`,
  );
}
