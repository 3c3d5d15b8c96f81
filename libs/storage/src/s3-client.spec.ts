import { spawnSync } from 'node:child_process';
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

describe('the AWS SDK on the supported Node lines', () => {
  // The SDK warns once per process below Node 22 (its next floor) and never from 22 on; Gyre neither
  // prints nor filters it (docs/runtime.md). Two clients in a fresh process, with the warning not disabled.
  const major = Number(process.versions.node.split('.')[0]);
  const script = `const { S3Client } = require('@aws-sdk/client-s3');
    const config = ${JSON.stringify(s3ClientConfig(local))};
    new S3Client(config); new S3Client(config);`;

  it(`builds clients with ${major >= 22 ? 'no' : 'one'} Node-version warning on Node ${major}`, () => {
    const env = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const result = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });

    expect(result.status).toBe(0);
    const warnings = result.stderr.match(/NodeVersionSupportWarning/g) ?? [];
    expect(warnings).toHaveLength(major >= 22 ? 0 : 1);
    if (major >= 22) expect(result.stderr).toBe('');
  });
});
