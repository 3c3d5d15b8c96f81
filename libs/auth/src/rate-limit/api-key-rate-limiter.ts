import type { AuthSettings } from '@gyre/config';
import { AuthError } from '../errors';
import { TokenBucket } from './token-bucket';

// Above this many buckets, full (idle) ones are dropped: memory stays bounded by the keys in active use.
const SWEEP_ABOVE = 10_000;

/** One token bucket per API key in this process; several API instances each allow the full rate. */
export class ApiKeyRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly settings: Pick<AuthSettings, 'rateLimitPerSecond' | 'rateLimitBurst'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of the key, or throws RATE_LIMITED with the seconds to wait. */
  take(keyId: string): void {
    const { rateLimitPerSecond, rateLimitBurst } = this.settings;
    if (rateLimitPerSecond === 0) return;
    const now = this.now();
    let bucket = this.buckets.get(keyId);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      bucket = new TokenBucket(rateLimitPerSecond, rateLimitBurst, now);
      this.buckets.set(keyId, bucket);
    }
    const take = bucket.take(now);
    if (!take.taken)
      throw new AuthError('RATE_LIMITED', `key ${keyId} exceeded its rate limit of ${rateLimitPerSecond}/s`, {
        retriable: true,
        retryAfterSeconds: take.retryAfterSeconds,
      });
  }

  private sweep(now: number): void {
    for (const [keyId, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(keyId);
  }
}
