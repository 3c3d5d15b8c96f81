import { AuthError } from '../errors';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';

describe(ApiKeyRateLimiter.name, () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 0;
  });

  it('limits each key on its own: one busy key does not slow another', () => {
    const limiter = new ApiKeyRateLimiter({ rateLimitPerSecond: 1, rateLimitBurst: 1 }, clock);
    limiter.take('a');

    expect(() => limiter.take('a')).toThrow(AuthError);
    expect(() => limiter.take('b')).not.toThrow();
  });

  it('throws RATE_LIMITED, retriable, with Retry-After seconds', () => {
    const limiter = new ApiKeyRateLimiter({ rateLimitPerSecond: 2, rateLimitBurst: 1 }, clock);
    limiter.take('a');

    expect(() => limiter.take('a')).toThrow(
      expect.objectContaining({ code: 'RATE_LIMITED', retriable: true, retryAfterSeconds: 1 }),
    );
    now = 500;
    expect(() => limiter.take('a')).not.toThrow();
  });

  it('never limits when the rate is 0', () => {
    const limiter = new ApiKeyRateLimiter({ rateLimitPerSecond: 0, rateLimitBurst: 1 }, clock);

    expect(() => Array.from({ length: 1000 }, () => limiter.take('a'))).not.toThrow();
  });
});
