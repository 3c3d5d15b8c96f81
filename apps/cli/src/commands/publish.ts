import { readFile } from 'node:fs/promises';
import { Command, CommandContext, integerOption } from '../command';
import { CliIo, EXIT } from '../cli-io';
import { UsageError } from '../errors';
import { batchEvents, parseEvents } from '../events-file';
import { formatCount } from '../format';

interface IngestAnswer {
  events: Array<{ index: number; messageId: string | null; id?: string; duplicate: boolean }>;
}

export interface PublishSummary {
  stream: string;
  events: number;
  batches: number;
  /** Batches the API had already published: their stored answer came back (Idempotent-Replayed). */
  replayedBatches: number;
  /** Events whose `id` had been published before (their original message id came back). */
  duplicates: number;
  firstMessageId: string | null;
  lastMessageId: string | null;
}

const RETRIES = 5;

export const publishCommand: Command = {
  words: ['publish'],
  args: ['<stream>', '<file|->'],
  summary: 'Publish the events of a JSON array or NDJSON file (- reads standard input) to a stream.',
  details: [
    'Each element is an event as the API takes it: {"payload": {...}, "key"?, "eventTime"?, "properties"?, "id"?}.',
    'Events go in batches; each batch carries an Idempotency-Key made from the file content, the batch settings',
    'and its index, so running the same command again (within the API idempotency window) publishes nothing twice.',
    'Busy answers (503, 429) are retried after Retry-After.',
  ].join('\n'),
  options: {
    batch: { type: 'string', value: 'n', help: 'events per request (default 500)' },
    'batch-bytes': {
      type: 'string',
      value: 'bytes',
      help: 'JSON bytes per request at most (default 4194304)',
    },
  },
  async run({ io, values, positionals, api, json }: CommandContext): Promise<number> {
    const [stream, file] = positionals;
    const limits = {
      maxEvents: integerOption(values, 'batch', 500, { min: 1, max: 10_000 }),
      maxBytes: integerOption(values, 'batch-bytes', 4 * 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    };
    const content = await readSource(file, io);
    // Each event goes as the file's bytes: the API publishes each payload as the bytes it receives.
    const events = parseEvents(content, file === '-' ? 'standard input' : file);
    if (events.length === 0)
      throw new UsageError(`${file === '-' ? 'standard input' : file} holds no events`);
    const client = api();
    const summary: PublishSummary = {
      stream,
      events: 0,
      batches: 0,
      replayedBatches: 0,
      duplicates: 0,
      firstMessageId: null,
      lastMessageId: null,
    };
    const batches = batchEvents(content, events, limits);
    for (const batch of batches) {
      if (io.interrupted.aborted) {
        io.stdout.write(json ? `${JSON.stringify(summary)}\n` : describe(summary));
        io.stderr.write(
          `interrupted after ${summary.batches} of ${batches.length} batches; the same command publishes the rest\n`,
        );
        return EXIT.failed;
      }
      const response = await client.request<IngestAnswer>(
        'POST',
        `/v1/streams/${encodeURIComponent(stream)}/events`,
        {
          rawJson: batch.body,
          headers: { 'idempotency-key': batch.idempotencyKey },
          retries: RETRIES,
        },
      );
      summary.batches++;
      if (response.headers.get('idempotent-replayed') === 'true') summary.replayedBatches++;
      for (const event of response.body.events) {
        summary.events++;
        if (event.duplicate) summary.duplicates++;
        if (event.messageId) {
          summary.firstMessageId ??= event.messageId;
          summary.lastMessageId = event.messageId;
        }
      }
    }
    io.stdout.write(json ? `${JSON.stringify(summary)}\n` : describe(summary));
    return EXIT.ok;
  },
};

export function describe(summary: PublishSummary): string {
  const again =
    summary.replayedBatches > 0
      ? `; ${summary.replayedBatches} of ${summary.batches} batches had been published already (nothing sent again)`
      : '';
  const duplicates = summary.duplicates > 0 ? `; ${formatCount(summary.duplicates)} duplicate event ids` : '';
  return (
    `published ${formatCount(summary.events)} events to ${summary.stream} in ${summary.batches} ` +
    `${summary.batches === 1 ? 'batch' : 'batches'}${again}${duplicates}\n` +
    `message ids: first ${summary.firstMessageId ?? '-'}, last ${summary.lastMessageId ?? '-'}\n`
  );
}

async function readSource(file: string, io: CliIo): Promise<Buffer> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
