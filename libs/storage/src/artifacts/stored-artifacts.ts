import { OpenedObject, S3Storage } from '../s3-storage';
import { StorageError } from '../storage-error';

/** An artifact opened for download: the object's stream and a file name for the browser to save it as. */
export interface ArtifactDownload extends OpenedObject {
  fileName: string;
}

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

/**
 * `s3://bucket/key` as bucket and key, when the bucket is one of `buckets`; anything else (another bucket,
 * the tiered one Pulsar owns included, or not an s3 URI) is NOT_AN_ARTIFACT.
 */
export function parseArtifactUri(uri: string, buckets: readonly string[]): { bucket: string; key: string } {
  const match = S3_URI.exec(uri);
  if (!match || !buckets.includes(match[1]) || match[2].split('/').includes('..'))
    throw new StorageError('NOT_AN_ARTIFACT', 'not an s3:// URI in the datasets or models bucket', {
      operation: 'openArtifact',
      bucket: match?.[1] ?? '-',
      key: match?.[2],
    });
  return { bucket: match[1], key: match[2] };
}

/** Datasets and model artifacts, read for an operator by their `s3://` URI (the ones lineage records). */
export class StoredArtifacts {
  constructor(
    private readonly storage: S3Storage,
    private readonly buckets: readonly string[],
  ) {}

  async open(uri: string): Promise<ArtifactDownload> {
    const { bucket, key } = parseArtifactUri(uri, this.buckets);
    const opened = await this.storage.openObject(bucket, key);
    // A file name a browser accepts as is: the key's last part, other characters replaced.
    const fileName = (key.split('/').at(-1) ?? 'artifact').replace(/[^A-Za-z0-9._-]/g, '_');
    return { ...opened, fileName };
  }
}
