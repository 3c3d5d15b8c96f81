import { run } from '../cli';
import { memoryIo } from '../test-io';

/** A fetch that answers GET /admin/replays/{id} with the given job states in turn (the last one repeats). */
function jobSequence(states: Array<Record<string, unknown>>) {
  let call = 0;
  return (async () => {
    const state = states[Math.min(call++, states.length - 1)];
    const job = {
      id: 'job-1',
      state: 'running',
      events: 0,
      scanned: 0,
      bytes: 0,
      estimated: 100,
      ratePerSecond: null,
      etaSeconds: null,
      partitions: [{ done: false }],
      error: null,
      source: 'clicks',
      target: { kind: 'stream', stream: 'clicks-rebuild' },
      createdAt: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
      ...state,
    };
    return new Response(JSON.stringify(job), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof fetch;
}

const env = { GYRE_API_KEY: 'k' };

describe('gyre replay watch', () => {
  it('redraws one line in place on a terminal and ends it with a newline when the replay completed (exit 0)', async () => {
    const cli = memoryIo({ env, tty: true });
    const fetchImpl = jobSequence([
      { scanned: 40, events: 40 },
      { scanned: 80, events: 80, ratePerSecond: 40, etaSeconds: 0.5 },
      { state: 'completed', scanned: 100, events: 100, bytes: 2048, finishedAt: '2026-01-01T00:00:03.000Z' },
    ]);
    expect(
      await run(['replay', 'watch', 'job-1', '--interval-ms', '100'], cli.io, { fetch: fetchImpl }),
    ).toBe(0);
    const frames = cli.stdout().split('\r\x1b[2K').slice(1);
    expect(frames).toHaveLength(3);
    expect(frames[0]).toMatch(/^\[#+\.+\] {2}40% {2}running {2}40 events/);
    expect(frames[2]).toMatch(/ 100% {2}completed {2}100 events {2}2\.00 KiB .* ETA 0s .*\n$/);
    expect(frames.slice(0, 2).every((frame) => !frame.includes('\n'))).toBe(true);
    expect(cli.stderr()).toBe('replay job-1 completed: 100 events, 2.00 KiB in 3s\n');
  });

  it('prints a line per change when not on a terminal, and exits 1 with the error when the replay failed', async () => {
    const cli = memoryIo({ env });
    const fetchImpl = jobSequence([
      { scanned: 10 },
      { scanned: 10 },
      { state: 'failed', scanned: 10, error: { code: 'REPLAY_SOURCE_UNAVAILABLE', message: 'broker gone' } },
    ]);
    expect(
      await run(['replay', 'watch', 'job-1', '--interval-ms', '100'], cli.io, { fetch: fetchImpl }),
    ).toBe(1);
    const lines = cli.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^replay job-1 \[#{2}\.{18}\] {2}10% {2}running/);
    expect(lines[1]).toMatch(/^replay job-1 .* failed /);
    expect(cli.stdout()).not.toContain('\x1b');
    expect(cli.stderr()).toBe('replay job-1 failed: REPLAY_SOURCE_UNAVAILABLE: broker gone\n');
  });

  it('stops watching on Ctrl-C and says the replay goes on (exit 0)', async () => {
    const cli = memoryIo({ env });
    const fetchImpl = jobSequence([{ scanned: 10 }]);
    const watching = run(['replay', 'watch', 'job-1', '--interval-ms', '60000'], cli.io, {
      fetch: fetchImpl,
    });
    await new Promise((settled) => setImmediate(settled));
    cli.interrupt();
    expect(await watching).toBe(0);
    expect(cli.stderr()).toBe('stopped watching; replay job-1 goes on (gyre replay watch job-1)\n');
  });
});
