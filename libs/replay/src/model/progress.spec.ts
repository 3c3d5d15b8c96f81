import { estimateProgress, RateLimiter } from './progress';

describe(estimateProgress.name, () => {
  it('measures the read rate since the claim and the seconds left at that rate', () => {
    expect(
      estimateProgress({ scannedSinceClaim: 500, elapsedMs: 2000, scannedTotal: 700, estimatedTotal: 1700 }),
    ).toEqual({ ratePerSecond: 250, etaSeconds: 4 });
  });

  it('knows no ETA before anything was read, and 0 once the estimate is reached', () => {
    expect(
      estimateProgress({ scannedSinceClaim: 0, elapsedMs: 1000, scannedTotal: 0, estimatedTotal: 10 }),
    ).toEqual({
      ratePerSecond: 0,
      etaSeconds: null,
    });
    expect(
      estimateProgress({ scannedSinceClaim: 12, elapsedMs: 1000, scannedTotal: 12, estimatedTotal: 10 })
        .etaSeconds,
    ).toBe(0);
  });
});

describe(RateLimiter.name, () => {
  it('spaces events evenly at the rate, shared by every caller, and never waits after idle time', () => {
    let now = 0;
    const limiter = new RateLimiter(100, () => now);

    expect([limiter.reserve(), limiter.reserve(), limiter.reserve()]).toEqual([0, 10, 20]);
    now = 1000;
    expect(limiter.reserve()).toBe(0);
  });
});
