/** Throughput and time left of a job, from what it read since a worker claimed it. */
export interface ProgressEstimate {
  /** Messages read from the source per second (filtered-out messages count: they cost a read). */
  ratePerSecond: number;
  /** Null while nothing is known (no rate yet) or when nothing is left to estimate. */
  etaSeconds: number | null;
}

export function estimateProgress(input: {
  /** Messages read by this claim, and over how long. */
  scannedSinceClaim: number;
  elapsedMs: number;
  /** Messages read by the job so far, and its estimate of the total (entries between start and end). */
  scannedTotal: number;
  estimatedTotal: number;
}): ProgressEstimate {
  const ratePerSecond = input.elapsedMs > 0 ? (input.scannedSinceClaim * 1000) / input.elapsedMs : 0;
  const remaining = Math.max(0, input.estimatedTotal - input.scannedTotal);
  const etaSeconds = ratePerSecond > 0 ? remaining / ratePerSecond : remaining === 0 ? 0 : null;
  return { ratePerSecond, etaSeconds };
}

/**
 * Spaces events evenly at `perSecond`, across every caller sharing it (all partitions of a job):
 * each call reserves the next slot and says how long to wait for it.
 */
export class RateLimiter {
  private next = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds to wait before sending the next event. */
  reserve(): number {
    const now = this.now();
    const slot = Math.max(now, this.next);
    this.next = slot + 1000 / this.perSecond;
    return slot - now;
  }
}
