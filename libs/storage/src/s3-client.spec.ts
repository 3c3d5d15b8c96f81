import type { S3Settings } from '@gyre/config';
import { s3ClientConfig } from './s3-client';

const local: S3Settings = {
  endpoint: 'http://127.0.0.1:4566',
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  buckets: { datasets: 'gyre-datasets', models: 'gyre-models', tiered: 'gyre-tiered' },
};

describe(s3ClientConfig.name, () => {
  it('points the SDK at a local S3-compatible server with path-style URLs and static credentials', () => {
    expect(s3ClientConfig(local)).toEqual({
      region: 'us-east-1',
      forcePathStyle: true,
      endpoint: 'http://127.0.0.1:4566',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  it("leaves endpoint, checksums and credentials to the SDK's AWS defaults when none are configured", () => {
    const aws = {
      ...local,
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
      region: 'eu-west-1',
    };

    expect(s3ClientConfig(aws)).toEqual({ region: 'eu-west-1', forcePathStyle: false });
  });
});
