import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { OnModuleDestroy } from '@nestjs/common';
import type { S3Settings } from '@gyre/config';
import { Readable } from 'node:stream';
import { ByteRange, formatByteRange } from './byte-range';
import { createS3Client } from './s3-client';
import { StorageError, StorageErrorContext, toStorageError } from './storage-error';

export type ObjectBody = string | Uint8Array | Readable;

export interface PutObjectOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  /** Required by S3 when the body is a stream of unknown length. */
  contentLength?: number;
}

export interface StoredObject {
  key: string;
  size: number;
  etag: string | undefined;
  lastModified: Date | undefined;
}

export interface OpenedObject {
  body: Readable;
  contentLength: number | undefined;
  contentType: string | undefined;
}

export interface ObjectPage {
  objects: StoredObject[];
  /** Pass back to read the next page; undefined on the last page. */
  nextToken: string | undefined;
}

export interface ListOptions {
  prefix?: string;
  /** At most 1000 (S3's own limit). */
  pageSize?: number;
}

/** Gyre's object storage: datasets, model artifacts and the tiered-storage bucket, built from configuration. */
export class S3Storage implements OnModuleDestroy {
  readonly buckets: S3Settings['buckets'];
  private readonly client: S3Client;

  constructor(settings: S3Settings) {
    this.buckets = settings.buckets;
    this.client = createS3Client(settings);
  }

  async putObject(
    bucket: string,
    key: string,
    body: ObjectBody,
    options: PutObjectOptions = {},
  ): Promise<{ etag?: string }> {
    const output = await this.call({ operation: 'putObject', bucket, key }, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ContentLength: options.contentLength,
          Metadata: options.metadata,
        }),
      ),
    );
    return { etag: output.ETag };
  }

  async getObject(bucket: string, key: string): Promise<Buffer> {
    return this.read({ operation: 'getObject', bucket, key }, undefined);
  }

  /** The object as a stream, for a caller that passes it on (a download) without holding it in memory. */
  async openObject(bucket: string, key: string): Promise<OpenedObject> {
    return this.call({ operation: 'openObject', bucket, key }, async () => {
      const output = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = output.Body instanceof Readable ? output.Body : Readable.from([]);
      return { body, contentLength: output.ContentLength, contentType: output.ContentType };
    });
  }

  async getObjectRange(bucket: string, key: string, range: ByteRange): Promise<Buffer> {
    return this.read({ operation: 'getObjectRange', bucket, key }, formatByteRange(range));
  }

  async listObjectsPage(
    bucket: string,
    { prefix, pageSize }: ListOptions = {},
    token?: string,
  ): Promise<ObjectPage> {
    const output = await this.call({ operation: 'listObjects', bucket, key: prefix }, () =>
      this.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: pageSize,
          ContinuationToken: token,
        }),
      ),
    );
    return {
      objects: (output.Contents ?? []).map((object) => ({
        key: object.Key ?? '',
        size: object.Size ?? 0,
        etag: object.ETag,
        lastModified: object.LastModified,
      })),
      nextToken: output.IsTruncated ? output.NextContinuationToken : undefined,
    };
  }

  /** Every object under `prefix`, page by page, so a large listing never sits in memory at once. */
  async *listObjects(bucket: string, options: ListOptions = {}): AsyncGenerator<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.listObjectsPage(bucket, options, token);
      yield* page.objects;
      token = page.nextToken;
    } while (token !== undefined);
  }

  async headBucket(bucket: string): Promise<void> {
    await this.call({ operation: 'headBucket', bucket }, () =>
      this.client.send(new HeadBucketCommand({ Bucket: bucket })),
    );
  }

  /** Creates the bucket unless it exists; safe to call from every process at start-up. */
  async ensureBucket(bucket: string): Promise<'created' | 'exists'> {
    try {
      await this.headBucket(bucket);
      return 'exists';
    } catch (error) {
      if (!(error instanceof StorageError && error.code === 'BUCKET_NOT_FOUND')) throw error;
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: bucket }));
      return 'created';
    } catch (error) {
      // Another process created it between our HEAD and our CREATE.
      if ((error as { name?: string }).name === 'BucketAlreadyOwnedByYou') return 'exists';
      throw toStorageError(error, { operation: 'ensureBucket', bucket });
    }
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }

  private async read(context: StorageErrorContext, range: string | undefined): Promise<Buffer> {
    return this.call(context, async () => {
      const output = await this.client.send(
        new GetObjectCommand({ Bucket: context.bucket, Key: context.key, Range: range }),
      );
      if (!output.Body) return Buffer.alloc(0);
      return Buffer.from(await output.Body.transformToByteArray());
    });
  }

  private async call<T>(context: StorageErrorContext, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toStorageError(error, context);
    }
  }
}
