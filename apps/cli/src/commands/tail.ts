import { randomBytes } from 'node:crypto';
import { memberSpan, payloadSpans } from '@gyre/json-spans';
import { Command, CommandContext, integerOption, pause, stringOption } from '../command';
import { EXIT } from '../cli-io';
import { UsageError } from '../errors';

interface PulledMessage {
  leaseToken: string;
  messageId: string;
  key: string | null;
  eventTime: string | null;
  publishTime: string;
  properties: Record<string, string>;
  redeliveryCount: number;
  payload: unknown;
  payloadBase64?: string;
}

/** Without a long poll, an empty pull waits this long before the next. */
const IDLE_PAUSE_MS = 500;
const FROM = { earliest: 'Earliest', latest: 'Latest' } as const;

export const tailCommand: Command = {
  words: ['tail'],
  args: ['<stream>'],
  summary: 'Print the events of a stream as NDJSON as they arrive, acknowledging each once printed.',
  details: [
    'Reads through the HTTP consumption endpoints (a Shared subscription: consumer or admin key).',
    'Without --subscription a new one, gyre-tail-<random>, is created (named on standard error); name one to',
    'resume where it stopped. --from applies only when the subscription is created. Ctrl-C finishes the pull',
    'under way, prints and acknowledges what it got, and exits.',
  ].join('\n'),
  options: {
    subscription: { type: 'string', short: 's', value: 'name', help: 'subscription to read with' },
    from: {
      type: 'string',
      value: 'earliest|latest',
      help: 'where a new subscription starts (default latest)',
    },
    limit: { type: 'string', value: 'n', help: 'stop after n events' },
    'wait-ms': { type: 'string', value: 'ms', help: 'long-poll wait per pull (default 2000)' },
    max: { type: 'string', value: 'n', help: 'events per pull (default 100)' },
  },
  async run({ io, values, positionals, api }: CommandContext): Promise<number> {
    const [stream] = positionals;
    const from = stringOption(values, 'from') ?? 'latest';
    if (from !== 'earliest' && from !== 'latest') throw new UsageError('--from must be earliest or latest');
    const limit =
      values.limit === undefined ? Infinity : integerOption(values, 'limit', 0, { min: 1, max: 1e12 });
    const waitMs = integerOption(values, 'wait-ms', 2000, { min: 0, max: 30_000 });
    const max = integerOption(values, 'max', 100, { min: 1, max: 1000 });
    const subscription =
      stringOption(values, 'subscription') ?? `gyre-tail-${randomBytes(4).toString('hex')}`;
    const client = api();
    const base = `/v1/streams/${encodeURIComponent(stream)}/subscriptions/${encodeURIComponent(subscription)}`;
    io.stderr.write(
      `tailing ${stream} with subscription ${subscription} (a new one starts at the ${from})\n`,
    );

    let printed = 0;
    while (!io.interrupted.aborted && printed < limit) {
      // Not aborted on Ctrl-C: what this pull leases is printed and acked rather than left to expire.
      const pulled = await client.request<{ messages: PulledMessage[] }>('POST', `${base}/messages:pull`, {
        body: { max: Math.min(max, limit - printed), waitMs, initialPosition: FROM[from] },
      });
      const { messages } = pulled.body;
      if (messages.length === 0) {
        if (waitMs < IDLE_PAUSE_MS) await pause(IDLE_PAUSE_MS, io.interrupted);
        continue;
      }
      io.stdout.write(eventLines(messages, pulled.raw));
      printed += messages.length;
      await client.post(`${base}/messages:ack`, {
        leaseTokens: messages.map((message) => message.leaseToken),
      });
    }
    io.stderr.write(`${printed} events printed and acknowledged (subscription ${subscription})\n`);
    return EXIT.ok;
  },
};

/**
 * One line per pulled message, without its lease token (useless once acked, and not worth leaking into
 * logs), with its JSON payload as the API sent it: the stored text, not parsed and serialised again.
 */
export function eventLines(messages: PulledMessage[], raw: Buffer): string {
  const listed = memberSpan(raw, 'messages');
  const payloads = listed ? payloadSpans(raw, listed.start, listed.end) : [];
  return messages
    .map(({ leaseToken: _lease, payload, ...event }, index) => {
      const span = payloads[index];
      if (payload === null || span === undefined) return `${JSON.stringify({ ...event, payload })}\n`;
      // The payload goes last, so its text replaces the closing `null}`.
      const head = JSON.stringify({ ...event, payload: null }).slice(0, -'null}'.length);
      return `${head}${raw.toString('utf8', span.start, span.end)}}\n`;
    })
    .join('');
}
