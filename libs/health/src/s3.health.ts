import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { S3Storage } from '@gyre/storage';
import { describeError, HEALTH_TIMEOUT_MS, withTimeout } from './with-timeout';

/** S3 is up when every configured bucket answers HeadBucket; each bucket is reported. */
@Injectable()
export class S3HealthIndicator {
  constructor(
    private readonly storage: S3Storage,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 's3'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const results = await Promise.all(
      Object.values(this.storage.buckets).map(async (bucket) => {
        try {
          await withTimeout(this.storage.headBucket(bucket), HEALTH_TIMEOUT_MS, `bucket ${bucket}`);
          return [bucket, 'up'] as const;
        } catch (error) {
          return [bucket, describeError(error)] as const;
        }
      }),
    );
    const buckets = Object.fromEntries(results);
    return results.every(([, state]) => state === 'up') ? session.up({ buckets }) : session.down({ buckets });
  }
}
