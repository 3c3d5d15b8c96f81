export type Take = { taken: true } | { taken: false; retryAfterSeconds: number };

/**
 * A token bucket: `capacity` requests at once, refilled at `ratePerSecond`. Time is passed in (milliseconds),
 * so tests drive it without waiting.
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private updatedAtMs: number,
  ) {
    this.tokens = capacity;
  }

  take(nowMs: number): Take {
    this.refill(nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { taken: true };
    }
    // Whole seconds, at least one: Retry-After takes no fractions.
    return {
      taken: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond)),
    };
  }

  /** True once the bucket has refilled completely: forgetting it then changes nothing. */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.capacity;
  }

  private refill(nowMs: number): void {
    const elapsedSeconds = Math.max(0, nowMs - this.updatedAtMs) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.updatedAtMs = Math.max(this.updatedAtMs, nowMs);
  }
}
