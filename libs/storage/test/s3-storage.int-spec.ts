import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createS3Client, S3Storage, StorageError } from '@gyre/storage';
import { randomBytes } from 'node:crypto';
import { emptyPrefix, testS3Settings, uniqueName } from '../../../tools/testing';

const MIB = 1024 * 1024;

describe(S3Storage.name, () => {
  const settings = testS3Settings();
  const bucket = settings.buckets.datasets;
  let storage: S3Storage;
  let client: S3Client;
  let prefix: string;

  beforeAll(async () => {
    storage = new S3Storage(settings);
    client = createS3Client(settings);
    await storage.ensureBucket(bucket);
  });

  beforeEach(() => {
    prefix = `${uniqueName('storage-test')}/`;
  });

  afterEach(() => emptyPrefix(client, bucket, prefix));

  afterAll(() => {
    storage.onModuleDestroy();
    client.destroy();
  });

  it('puts objects, reads them whole and by byte range, and lists them page by page', async () => {
    const bodies = ['alpha', 'bravo', 'charlie'].map((word) =>
      Buffer.from(`${word}-${randomBytes(8).toString('hex')}`),
    );
    for (const [index, body] of bodies.entries()) {
      await storage.putObject(bucket, `${prefix}part-${index}`, body, {
        contentType: 'application/octet-stream',
      });
    }

    expect(await storage.getObject(bucket, `${prefix}part-1`)).toEqual(bodies[1]);
    expect(await storage.getObjectRange(bucket, `${prefix}part-2`, { start: 2, end: 6 })).toEqual(
      bodies[2].subarray(2, 7),
    );
    expect(await storage.getObjectRange(bucket, `${prefix}part-0`, { start: 6 })).toEqual(
      bodies[0].subarray(6),
    );

    const firstPage = await storage.listObjectsPage(bucket, { prefix, pageSize: 2 });
    expect(firstPage.objects.map((object) => object.key)).toEqual([`${prefix}part-0`, `${prefix}part-1`]);
    expect(firstPage.nextToken).toEqual(expect.any(String));

    const all = [];
    for await (const object of storage.listObjects(bucket, { prefix, pageSize: 2 })) all.push(object);
    expect(all.map(({ key, size }) => ({ key, size }))).toEqual(
      bodies.map((body, index) => ({ key: `${prefix}part-${index}`, size: body.length })),
    );
  });

  it('stores a multipart upload of parts larger than 5 MiB and reads across the part boundary', async () => {
    const key = `${prefix}dataset.parquet`;
    const parts = [randomBytes(5 * MIB + 1024), randomBytes(MIB + 17)];
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    try {
      const uploaded = [];
      for (const [index, body] of parts.entries()) {
        const PartNumber = index + 1;
        const { ETag } = await client.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber, Body: body }),
        );
        uploaded.push({ ETag, PartNumber });
      }
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: uploaded },
        }),
      );
    } catch (error) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
      throw error;
    }

    const whole = Buffer.concat(parts);
    const boundary = parts[0].length;
    expect(await storage.getObjectRange(bucket, key, { start: boundary - 8, end: boundary + 7 })).toEqual(
      whole.subarray(boundary - 8, boundary + 8),
    );
    expect((await storage.getObject(bucket, key)).equals(whole)).toBe(true);
    const [listed] = (await storage.listObjectsPage(bucket, { prefix })).objects;
    expect(listed).toMatchObject({ key, size: whole.length });
  });

  it('reports a missing object as a non-retriable NOT_FOUND naming bucket and key', async () => {
    const key = `${prefix}missing`;

    const failure = await storage.getObject(bucket, key).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({
      code: 'NOT_FOUND',
      retriable: false,
      bucket,
      key,
      operation: 'getObject',
    });
  });

  it('reports a missing bucket as BUCKET_NOT_FOUND and creates it once with ensureBucket', async () => {
    const fresh = uniqueName('gyre-test-bucket');
    try {
      await expect(storage.headBucket(fresh)).rejects.toMatchObject({
        code: 'BUCKET_NOT_FOUND',
        bucket: fresh,
      });

      expect(await storage.ensureBucket(fresh)).toBe('created');
      expect(await storage.ensureBucket(fresh)).toBe('exists');
      await expect(storage.headBucket(fresh)).resolves.toBeUndefined();
    } finally {
      await client.send(new DeleteBucketCommand({ Bucket: fresh })).catch(() => undefined);
    }
  });
});
