import { progressBar, progressLine, progressRedraw, replayFraction, ReplayProgressView } from './progress';

function job(overrides: Partial<ReplayProgressView> = {}): ReplayProgressView {
  return {
    id: 'job-1',
    state: 'running',
    events: 1200,
    scanned: 1500,
    bytes: 245760,
    estimated: 3000,
    ratePerSecond: 4980.2,
    etaSeconds: 65,
    partitions: [{ done: false }, { done: false }],
    error: null,
    ...overrides,
  };
}

describe('replay progress', () => {
  it('measures progress by messages read against the estimate, and by partitions done', () => {
    expect(replayFraction(job())).toBe(0.5);
    expect(replayFraction(job({ scanned: 0, partitions: [{ done: true }, { done: false }] }))).toBe(0.5);
  });

  it('stays below 100% until the job completed, even when more messages than estimated were read', () => {
    expect(replayFraction(job({ scanned: 9000 }))).toBe(0.99);
    expect(replayFraction(job({ state: 'completed', scanned: 10 }))).toBe(1);
  });

  it('draws a bar of the given width with its percentage', () => {
    expect(progressBar(0.5, 10)).toBe('[#####.....]  50%');
    expect(progressBar(1, 4)).toBe('[####] 100%');
  });

  it('prints a plain line per update with state, events, messages read, bytes, rate and ETA', () => {
    const line = progressLine(job());
    expect(line).toBe(
      'replay job-1 [##########..........]  50%  running  1,200 events  240 KiB  4,980/s  ETA 1m05s  1,500 read of ~3,000',
    );
    expect(line).not.toContain('\r');
    expect(line).not.toContain('\x1b');
  });

  it('redraws in place on a terminal: carriage return, erase line, and no wider than the terminal', () => {
    const done = job({ state: 'completed', etaSeconds: null, scanned: 3000 });
    const wide = progressRedraw(done, 140);
    expect(wide.startsWith('\r\x1b[2K')).toBe(true);
    expect(wide).toContain('[########################################] 100%');
    expect(wide).toContain('ETA 0s  3,000 read of ~3,000');
    const narrow = progressRedraw(done, 72);
    expect(narrow).toContain('ETA 0s');
    expect(narrow).not.toContain('read of');
    expect(narrow.length - '\r\x1b[2K'.length).toBeLessThanOrEqual(71);
    expect(progressRedraw(done, 30).length - '\r\x1b[2K'.length).toBeLessThanOrEqual(29);
  });

  it('shows an unknown rate and ETA as --', () => {
    expect(progressLine(job({ ratePerSecond: null, etaSeconds: null }))).toContain('--  ETA --');
  });
});
