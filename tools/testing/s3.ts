import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '@gyre/config';
import { testEndpoints } from './endpoints';

/** S3 settings for the stack's S3 server and buckets. */
export function testS3Settings(): S3Settings {
  const stack = testEndpoints();
  return {
    endpoint: stack.s3Endpoint,
    region: stack.s3Region,
    forcePathStyle: true,
    credentials: { accessKeyId: stack.s3AccessKeyId, secretAccessKey: stack.s3SecretAccessKey },
    buckets: { datasets: stack.s3BucketDatasets, models: stack.s3BucketModels, tiered: stack.s3BucketTiered },
  };
}

/** Deletes every object under `prefix`: what a test wrote, and nothing of other tests. */
export async function emptyPrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  // One by one: S3Proxy rejects DeleteObjects with the CRC32 checksum header the SDK now sends.
  for (const { Key } of listed.Contents ?? [])
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
}
