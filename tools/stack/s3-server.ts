import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { s3proxyHome, serviceDir } from './paths';
import { StackSettings } from './settings';
import { ServiceProcess } from './supervisor';

/**
 * S3Proxy over a filesystem blob store, on LocalStack's port. It decodes SigV4 streaming (aws-chunked)
 * bodies, which Pulsar's jclouds offloader sends, and serves multipart uploads and ranged reads.
 */
export function s3ServerProcess(java: string, settings: StackSettings['s3']): ServiceProcess {
  const dir = serviceDir('s3');
  const blobs = join(dir, 'blobs');
  mkdirSync(blobs, { recursive: true });
  const properties = join(dir, 's3proxy.conf');
  writeFileSync(
    properties,
    [
      `s3proxy.endpoint=http://127.0.0.1:${settings.port}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${settings.accessKeyId}`,
      `s3proxy.credential=${settings.secretAccessKey}`,
      'jclouds.provider=filesystem',
      `jclouds.filesystem.basedir=${blobs}`,
      `jclouds.region=${settings.region}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    name: 's3',
    command: java,
    args: [
      '-Xms64m',
      '-Xmx512m',
      `-Dlogback.configurationFile=${join(s3proxyHome, 'logback.xml')}`,
      '-cp',
      `${join(s3proxyHome, 'lib')}/*`,
      'org.gaul.s3proxy.Main',
      '--properties',
      properties,
    ],
    cwd: dir,
    pidFile: join(dir, 'pid'),
    logFile: join(dir, 's3proxy.log'),
  };
}

export function s3Client(settings: StackSettings['s3']): S3Client {
  return new S3Client({
    endpoint: `http://127.0.0.1:${settings.port}`,
    region: settings.region,
    forcePathStyle: true,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    maxAttempts: 1,
  });
}

/** Healthy = answers a signed ListBuckets. */
export async function s3Healthy(settings: StackSettings['s3']): Promise<boolean> {
  const client = s3Client(settings);
  try {
    await client.send(new ListBucketsCommand({}));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

export async function ensureBuckets(settings: StackSettings['s3']): Promise<void> {
  const client = s3Client(settings);
  try {
    for (const bucket of settings.buckets) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
      }
    }
  } finally {
    client.destroy();
  }
}
