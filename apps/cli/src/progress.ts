import { formatBytes, formatCount, formatDuration } from './format';

/** The fields of a replay job (GET /admin/replays/{id}) that progress is drawn from. */
export interface ReplayProgressView {
  id: string;
  state: string;
  events: number;
  scanned: number;
  bytes: number;
  estimated: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  partitions: Array<{ done: boolean }>;
  error: { code: string; message: string } | null;
}

export const FINAL_STATES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/**
 * How far the job is, from 0 to 1. The estimate counts entries (a batch is one), so messages read can pass
 * it: the fraction stays below 1 until the job has completed.
 */
export function replayFraction(job: ReplayProgressView): number {
  if (job.state === 'completed') return 1;
  const doneShare =
    job.partitions.length > 0 ? job.partitions.filter((p) => p.done).length / job.partitions.length : 0;
  const readShare = job.estimated > 0 ? job.scanned / job.estimated : 0;
  return Math.min(Math.max(doneShare, readShare), 0.99);
}

/** "[#######.......]  52%": a bar `width` characters wide between brackets. */
export function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
}

/**
 * The figures after the bar: state, events published, bytes, rate, ETA and messages read of the estimate;
 * `brief` leaves the last out (narrow terminals).
 */
export function progressFigures(job: ReplayProgressView, brief = false): string {
  const rate = job.ratePerSecond === null ? '--' : `${formatCount(job.ratePerSecond)}/s`;
  const eta = FINAL_STATES.has(job.state) ? '0s' : formatDuration(job.etaSeconds);
  const parts = [job.state, `${formatCount(job.events)} events`, formatBytes(job.bytes), rate, `ETA ${eta}`];
  if (!brief) parts.push(`${formatCount(job.scanned)} read of ~${formatCount(job.estimated)}`);
  return parts.join('  ');
}

/** One line per update, for logs and pipes (no escape codes). */
export function progressLine(job: ReplayProgressView): string {
  return `replay ${job.id} ${progressBar(replayFraction(job), 20)}  ${progressFigures(job)}`;
}

const CLEAR_LINE = '\r\x1b[2K';
/** Brackets, percentage and the gap after the bar. */
const BAR_EXTRA = 9;
const MIN_BAR = 10;
const MAX_BAR = 40;

/** The same line redrawn in place on a terminal: carriage return, erase the line, then bar and figures. */
export function progressRedraw(job: ReplayProgressView, columns = 80): string {
  const usable = Math.max(columns - 1, 20);
  let figures = progressFigures(job);
  if (figures.length + BAR_EXTRA + MIN_BAR > usable) figures = progressFigures(job, true);
  const width = Math.max(MIN_BAR, Math.min(MAX_BAR, usable - figures.length - BAR_EXTRA));
  const line = `${progressBar(replayFraction(job), width)}  ${figures}`;
  return `${CLEAR_LINE}${line.slice(0, usable)}`;
}
