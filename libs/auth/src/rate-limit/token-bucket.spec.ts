import { TokenBucket } from './token-bucket';

describe(TokenBucket.name, () => {
  it('allows a burst of its capacity at once, then refuses with the seconds to wait', () => {
    const bucket = new TokenBucket(1, 3, 0);

    expect([1, 2, 3].map(() => bucket.take(0).taken)).toEqual([true, true, true]);
    expect(bucket.take(0)).toEqual({ taken: false, retryAfterSeconds: 1 });
  });

  it('refills at its rate, never above its capacity', () => {
    const bucket = new TokenBucket(10, 2, 0);
    bucket.take(0);
    bucket.take(0);

    expect(bucket.take(50).taken).toBe(false);
    expect(bucket.take(100).taken).toBe(true);
    expect(bucket.isFull(60_000)).toBe(true);
    expect([1, 2, 3].map(() => bucket.take(60_000).taken)).toEqual([true, true, false]);
  });

  it('asks a slow bucket to wait as long as the next token takes, in whole seconds', () => {
    const bucket = new TokenBucket(0.25, 1, 0);
    bucket.take(0);

    expect(bucket.take(1000)).toEqual({ taken: false, retryAfterSeconds: 3 });
  });

  it('ignores a clock that goes backwards', () => {
    const bucket = new TokenBucket(1, 1, 10_000);
    bucket.take(10_000);

    expect(bucket.take(5_000).taken).toBe(false);
    expect(bucket.take(11_000).taken).toBe(true);
  });
});
