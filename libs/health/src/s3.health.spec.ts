import { HealthIndicatorService } from '@nestjs/terminus';
import { S3Storage, StorageError } from '@gyre/storage';
import { S3HealthIndicator } from './s3.health';

function storageWith(missing: string[]): S3Storage {
  const fake = {
    buckets: { datasets: 'gyre-datasets', models: 'gyre-models', tiered: 'gyre-tiered' },
    headBucket: async (bucket: string) => {
      if (missing.includes(bucket)) {
        throw new StorageError('BUCKET_NOT_FOUND', 'no such bucket', { operation: 'headBucket', bucket });
      }
    },
  };
  return fake as unknown as S3Storage;
}

describe(S3HealthIndicator.name, () => {
  it('reports up with every configured bucket up', async () => {
    const result = await new S3HealthIndicator(storageWith([]), new HealthIndicatorService()).check();

    expect(result).toEqual({
      s3: { status: 'up', buckets: { 'gyre-datasets': 'up', 'gyre-models': 'up', 'gyre-tiered': 'up' } },
    });
  });

  it('reports down naming the bucket that failed and why', async () => {
    const result = await new S3HealthIndicator(
      storageWith(['gyre-tiered']),
      new HealthIndicatorService(),
    ).check();

    expect(result).toEqual({
      s3: {
        status: 'down',
        buckets: {
          'gyre-datasets': 'up',
          'gyre-models': 'up',
          'gyre-tiered': 'BUCKET_NOT_FOUND: headBucket s3://gyre-tiered: no such bucket',
        },
      },
    });
  });
});
