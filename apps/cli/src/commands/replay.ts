import { Command, CommandContext, integerOption, pause, requiredOption, stringOption } from '../command';
import { CliIo, EXIT } from '../cli-io';
import { UsageError } from '../errors';
import { formatBytes, formatCount, formatDuration, formatTable } from '../format';
import { FINAL_STATES, progressLine, progressRedraw, ReplayProgressView } from '../progress';
import { GyreApiClient } from '../api-client';

interface ReplayJob extends ReplayProgressView {
  source: string;
  target: { kind: string; stream?: string };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const WATCH_OPTION = {
  type: 'string',
  value: 'ms',
  help: 'how often progress is read (default 1000)',
} as const;

/** `earliest`, a time (RFC 3339 or epoch milliseconds) or a message id, as POST /admin/replays takes them. */
export function position(value: string, name: string, keyword: string): unknown {
  if (value === keyword) return keyword;
  if (/^\d+$/.test(value) || (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))))
    return { timestamp: value };
  if (/^[A-Za-z0-9_:-]+$/.test(value)) return { messageId: value };
  throw new UsageError(`--${name} must be ${keyword}, a time (RFC 3339 or epoch ms) or a message id`);
}

/** `--to clicks-rebuild` (a stream), or a target object as JSON for the other kinds. */
export function target(value: string): unknown {
  if (!value.trimStart().startsWith('{')) return { kind: 'stream', stream: value };
  try {
    return JSON.parse(value);
  } catch {
    throw new UsageError('--to must be a stream name or a target as JSON ({"kind": ...})');
  }
}

export const replayStartCommand: Command = {
  words: ['replay', 'start'],
  args: ['<stream>'],
  summary: "Start a replay of a stream's history into a target (run by the workers).",
  details: [
    '--to names the target stream (created like the source when missing), or gives a target as JSON.',
    '--start: earliest (default), a time (RFC 3339 or epoch ms, publish time) or a message id.',
    '--end: lastAtStart (default: the last message of each partition now), a time or a message id.',
  ].join('\n'),
  options: {
    to: { type: 'string', value: 'target', help: 'target stream (required)' },
    start: { type: 'string', value: 'position', help: 'where to start (default earliest)' },
    end: { type: 'string', value: 'position', help: 'where to end (default lastAtStart)' },
    rate: { type: 'string', value: 'events/s', help: 'rate limit across all partitions' },
    watch: { type: 'boolean', short: 'w', help: 'then show its progress until it ends' },
    'interval-ms': WATCH_OPTION,
  },
  async run({ io, values, positionals, api, json }: CommandContext): Promise<number> {
    const body: Record<string, unknown> = {
      source: positionals[0],
      target: target(requiredOption(values, 'to')),
      start: position(stringOption(values, 'start') ?? 'earliest', 'start', 'earliest'),
      end: position(stringOption(values, 'end') ?? 'lastAtStart', 'end', 'lastAtStart'),
    };
    if (values.rate !== undefined)
      body.rateLimit = { eventsPerSecond: integerOption(values, 'rate', 0, { min: 1, max: 10_000_000 }) };
    const interval = integerOption(values, 'interval-ms', 1000, { min: 100, max: 60_000 });
    const client = api();
    const job = await client.post<ReplayJob>('/admin/replays', body);
    if (json && !values.watch) {
      io.stdout.write(`${JSON.stringify(job)}\n`);
      return EXIT.ok;
    }
    io.stderr.write(
      `replay ${job.id} ${job.state}: ${job.source} -> ${targetName(job)}, about ${formatCount(job.estimated)} entries\n`,
    );
    if (!values.watch) {
      io.stdout.write(`${job.id}\n`);
      return EXIT.ok;
    }
    return watch(client, job.id, io, interval, json);
  },
};

export const replayWatchCommand: Command = {
  words: ['replay', 'watch'],
  args: ['<id>'],
  summary: 'Show the progress of a replay until it completes, fails or is cancelled.',
  details:
    'A bar redrawn in place on a terminal, a line per change otherwise. Exits 0 when the replay completed, 1 when\nit failed or was cancelled. Ctrl-C stops watching; the replay goes on.',
  options: { 'interval-ms': WATCH_OPTION },
  async run({ io, values, positionals, api, json }: CommandContext): Promise<number> {
    const interval = integerOption(values, 'interval-ms', 1000, { min: 100, max: 60_000 });
    return watch(api(), positionals[0], io, interval, json);
  },
};

export const replayCancelCommand: Command = {
  words: ['replay', 'cancel'],
  args: ['<id>'],
  summary: 'Cancel a replay for good; what it published stays in the target.',
  options: {},
  async run({ io, positionals, api, json }: CommandContext): Promise<number> {
    const job = await api().post<ReplayJob>(`/admin/replays/${encodeURIComponent(positionals[0])}:cancel`);
    io.stdout.write(json ? `${JSON.stringify(job)}\n` : `replay ${job.id} ${job.state}\n`);
    return EXIT.ok;
  },
};

export const replayListCommand: Command = {
  words: ['replay', 'list'],
  args: [],
  summary: 'List replays, newest first, with their progress.',
  options: {},
  async run({ io, api, json }: CommandContext): Promise<number> {
    const jobs = await api().get<ReplayJob[]>('/admin/replays');
    if (json) {
      io.stdout.write(`${JSON.stringify(jobs)}\n`);
      return EXIT.ok;
    }
    io.stdout.write(
      formatTable(
        ['id', 'state', 'source', 'target', 'events', 'bytes', 'created'],
        jobs.map((job) => [
          job.id,
          job.state,
          job.source,
          targetName(job),
          job.events,
          formatBytes(job.bytes),
          job.createdAt,
        ]),
      ),
    );
    return EXIT.ok;
  },
};

/** Polls the job and draws its progress until it reaches a final state or the user stops watching. */
async function watch(
  client: GyreApiClient,
  id: string,
  io: CliIo,
  intervalMs: number,
  json: boolean,
): Promise<number> {
  const path = `/admin/replays/${encodeURIComponent(id)}`;
  const tty = io.stdout.isTTY === true && !json;
  let last = '';
  let job = await client.get<ReplayJob>(path);
  for (;;) {
    const line = json ? JSON.stringify(job) : progressLine(job);
    if (line !== last) io.stdout.write(tty ? progressRedraw(job, io.stdout.columns) : `${line}\n`);
    last = line;
    if (FINAL_STATES.has(job.state) || io.interrupted.aborted) break;
    await pause(intervalMs, io.interrupted);
    if (io.interrupted.aborted) break;
    job = await client.get<ReplayJob>(path);
  }
  if (tty) io.stdout.write('\n');
  if (!FINAL_STATES.has(job.state)) {
    io.stderr.write(`stopped watching; replay ${job.id} goes on (gyre replay watch ${job.id})\n`);
    return EXIT.ok;
  }
  const took =
    job.startedAt && job.finishedAt ? (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000 : null;
  if (job.state === 'completed') {
    io.stderr.write(
      `replay ${job.id} completed: ${formatCount(job.events)} events, ${formatBytes(job.bytes)} in ${formatDuration(took)}\n`,
    );
    return EXIT.ok;
  }
  const reason = job.error ? `: ${job.error.code}: ${job.error.message}` : '';
  io.stderr.write(`replay ${job.id} ${job.state}${reason}\n`);
  return EXIT.failed;
}

function targetName(job: Pick<ReplayJob, 'target'>): string {
  return job.target.kind === 'stream' && job.target.stream ? job.target.stream : job.target.kind;
}
