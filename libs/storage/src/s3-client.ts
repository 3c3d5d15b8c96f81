import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Settings } from '@gyre/config';

/** The SDK options for Gyre's S3 settings: the same code talks to S3Proxy, LocalStack or AWS. */
export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  return {
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint !== undefined && {
      endpoint: settings.endpoint,
      // S3-compatible servers lag behind AWS's default CRC checksums; send them only where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    // Without explicit credentials the SDK's default chain applies (instance role, profile, env).
    ...(settings.credentials !== undefined && { credentials: { ...settings.credentials } }),
  };
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client(s3ClientConfig(settings));
}
