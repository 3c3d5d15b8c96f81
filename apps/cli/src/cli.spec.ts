import { findCommand, overview, parseCommandArgs, run } from './cli';
import { resolveCliConfig } from './cli-config';
import { position, target } from './commands/replay';
import { scopeOf } from './commands/api-keys';
import { describeTiers, StorageReport } from './commands/streams';
import { UsageError } from './errors';
import { memoryIo } from './test-io';

/** A fetch that answers every request with one canned response and records what was asked. */
function cannedFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }) as unknown as typeof fetch;
  return { fetchImpl, calls };
}

describe('gyre command line', () => {
  it('finds commands by their words and keeps the rest as arguments', () => {
    const found = findCommand(['replay', 'start', 'clicks', '--to', 'x']);
    expect(found?.command.words).toEqual(['replay', 'start']);
    expect(found?.rest).toEqual(['clicks', '--to', 'x']);
    expect(findCommand(['replay', 'rewind'])).toBeUndefined();
  });

  it('parses options anywhere after the command words, global ones included', () => {
    const { command, rest } = findCommand([
      'tail',
      '--from',
      'earliest',
      'clicks',
      '--api-url',
      'http://h:1',
    ])!;
    expect(parseCommandArgs(command, rest)).toEqual({
      values: { from: 'earliest', 'api-url': 'http://h:1' },
      positionals: ['clicks'],
    });
  });

  it('refuses unknown options, missing and extra arguments as usage errors', () => {
    const { command } = findCommand(['publish'])!;
    expect(() => parseCommandArgs(command, ['s', 'f', '--bogus'])).toThrow(UsageError);
    expect(() => parseCommandArgs(command, ['s'])).toThrow(new UsageError('missing <file|->'));
    expect(() => parseCommandArgs(command, ['s', 'f', 'g'])).toThrow(new UsageError('unexpected argument g'));
  });

  it('prints the usage of the command with a bad argument and exits 2, calling nothing', async () => {
    const { fetchImpl, calls } = cannedFetch(200, []);
    const cli = memoryIo({ env: { GYRE_API_KEY: 'k' } });
    expect(await run(['tail', 'clicks', '--from', 'yesterday'], cli.io, { fetch: fetchImpl })).toBe(2);
    expect(cli.stderr()).toMatch(
      /^gyre: --from must be earliest or latest\n\nusage: gyre tail <stream> \[options\]/,
    );
    expect(calls).toEqual([]);
  });

  it('prints the overview for no command (exit 2) and for --help (exit 0), and a group for a bad subcommand', async () => {
    const none = memoryIo();
    expect(await run([], none.io)).toBe(2);
    expect(none.stderr()).toBe(overview());
    const help = memoryIo();
    expect(await run(['--help'], help.io)).toBe(0);
    expect(help.stdout()).toContain('gyre streams tiers <stream>');
    const group = memoryIo();
    expect(await run(['replay', 'rewind'], group.io)).toBe(2);
    expect(group.stderr()).toContain('unknown command "replay rewind"');
    expect(group.stderr()).toContain('gyre replay watch <id>');
    expect(group.stderr()).not.toContain('gyre publish');
  });

  it('refuses to call the API without a key', async () => {
    const cli = memoryIo();
    expect(await run(['streams', 'list'], cli.io)).toBe(2);
    expect(cli.stderr()).toContain('no API key: pass --api-key or set GYRE_API_KEY');
  });

  it('prints a problem document as one line with status, type, title, detail and field errors, and exits 1', async () => {
    const { fetchImpl } = cannedFetch(422, {
      type: 'https://gyre.dev/problems/invalid-events',
      title: 'Invalid events',
      status: 422,
      detail: '1 event is invalid',
      errors: [{ pointer: '/events/3/payload/amount', detail: 'must be number' }],
    });
    const cli = memoryIo({ env: { GYRE_API_KEY: 'k' } });
    expect(await run(['streams', 'list'], cli.io, { fetch: fetchImpl })).toBe(1);
    expect(cli.stderr()).toBe(
      'gyre: 422 invalid-events: Invalid events: 1 event is invalid [/events/3/payload/amount must be number]\n',
    );
  });

  it('sends the key as a bearer token to the configured URL', async () => {
    const { fetchImpl, calls } = cannedFetch(200, []);
    const cli = memoryIo({ env: { GYRE_API_KEY: 'from-env', GYRE_API_URL: 'http://env:1/' } });
    expect(await run(['replay', 'list', '--api-key', 'from-flag'], cli.io, { fetch: fetchImpl })).toBe(0);
    expect(calls[0].url).toBe('http://env:1/admin/replays');
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer from-flag');
  });
});

describe(resolveCliConfig.name, () => {
  it('takes a flag over the environment over the local default', () => {
    expect(resolveCliConfig({}, {})).toEqual({ apiUrl: 'http://127.0.0.1:3000', apiKey: undefined });
    expect(resolveCliConfig({}, { GYRE_API_URL: 'https://gyre.example/', GYRE_API_KEY: ' k ' })).toEqual({
      apiUrl: 'https://gyre.example',
      apiKey: 'k',
    });
    expect(resolveCliConfig({ 'api-url': 'http://a:1', 'api-key': 'f' }, { GYRE_API_KEY: 'e' })).toEqual({
      apiUrl: 'http://a:1',
      apiKey: 'f',
    });
  });

  it('refuses a URL that is not http(s), naming where it came from', () => {
    expect(() => resolveCliConfig({}, { GYRE_API_URL: 'pulsar://x:6650' })).toThrow(
      new UsageError('GYRE_API_URL must be an http:// or https:// URL (got "pulsar://x:6650")'),
    );
    expect(() => resolveCliConfig({ 'api-url': 'nope' }, {})).toThrow(/--api-url/);
  });
});

describe('replay arguments', () => {
  it('reads a start or end as the keyword, a time, or a message id', () => {
    expect(position('earliest', 'start', 'earliest')).toBe('earliest');
    expect(position('1700000000000', 'start', 'earliest')).toEqual({ timestamp: '1700000000000' });
    expect(position('2025-01-01T00:00:00Z', 'end', 'lastAtStart')).toEqual({
      timestamp: '2025-01-01T00:00:00Z',
    });
    expect(position('12:5:0', 'end', 'lastAtStart')).toEqual({ messageId: '12:5:0' });
    expect(position('CAwQBRgA', 'start', 'earliest')).toEqual({ messageId: 'CAwQBRgA' });
    expect(() => position('next tuesday', 'start', 'earliest')).toThrow(UsageError);
  });

  it('reads a target as a stream name or as JSON', () => {
    expect(target('clicks-rebuild')).toEqual({ kind: 'stream', stream: 'clicks-rebuild' });
    expect(target('{"kind":"datasetExport","name":"d"}')).toEqual({ kind: 'datasetExport', name: 'd' });
    expect(() => target('{bad')).toThrow(UsageError);
  });

  it('reads an API key scope from --streams or --prefix, not both', () => {
    expect(scopeOf({})).toBeUndefined();
    expect(scopeOf({ streams: 'a, b,' })).toEqual({ kind: 'streams', streams: ['a', 'b'] });
    expect(scopeOf({ prefix: 'ranking.' })).toEqual({ kind: 'prefix', prefix: 'ranking.' });
    expect(() => scopeOf({ streams: 'a', prefix: 'b' })).toThrow(UsageError);
  });
});

describe(describeTiers.name, () => {
  it('shows bytes and ledgers per tier with their share, the bucket cross-check, and each ledger on request', () => {
    const report: StorageReport = {
      stream: 'clicks',
      bucket: 'gyre-tiered',
      bookKeeper: { ledgers: 2, bytes: 3072 },
      offloaded: { ledgers: 2, bytes: 2048 },
      s3: { objects: 4, bytes: 2300, missingLedgers: [] },
      ledgers: [
        {
          partition: 0,
          ledgerId: 1,
          entries: 1,
          bytes: 1024,
          offloaded: true,
          inBookKeeper: false,
          s3: { dataBytes: 1100, indexBytes: 50 },
        },
        {
          partition: 0,
          ledgerId: 2,
          entries: 1,
          bytes: 1024,
          offloaded: true,
          inBookKeeper: true,
          s3: { dataBytes: 1100, indexBytes: 50 },
        },
        {
          partition: 0,
          ledgerId: 3,
          entries: 2,
          bytes: 2048,
          offloaded: false,
          inBookKeeper: true,
          s3: null,
        },
      ],
    };
    const text = describeTiers(report, true);
    expect(text).toContain('stream clicks: 4.00 KiB in 3 ledgers');
    expect(text).toMatch(/BookKeeper\s+2\s+3.00 KiB\s+75%/);
    expect(text).toMatch(/S3 \(offloaded\)\s+2\s+2.00 KiB\s+50%/);
    expect(text).toContain(
      'bucket gyre-tiered: 4 objects, 2.25 KiB; offloaded ledgers without an object: none',
    );
    expect(text).toMatch(/0\s+2\s+1\s+1024\s+both \(deletion lag\)\s+1150/);
    expect(text).toMatch(/0\s+3\s+2\s+2048\s+BookKeeper \(open\)\s+-/);
    expect(describeTiers(report, false)).not.toContain('deletion lag');
  });
});
