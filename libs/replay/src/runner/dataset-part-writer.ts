import { DatasetColumn, DatasetError, DatasetRow, ParquetDatasetStore } from '@gyre/storage';
import { ReplayError } from '../errors';
import type { ReplayDatasetStore } from '../jobs/replay-dataset.store';

/** Where one partition's Parquet parts go. */
export interface PartDestination {
  jobId: string;
  /** The claim's lease token: a worker that lost the job records no part. */
  owner: string;
  partition: number;
  bucket: string;
  prefix: string;
  columns: readonly DatasetColumn[];
  metadata: Readonly<Record<string, string>>;
}

/** The object key of the part whose first row has this scan sequence. */
export function partKey(prefix: string, partition: number, firstSequence: number): string {
  return `${prefix}/partition-${partition}/part-${String(firstSequence).padStart(12, '0')}.parquet`;
}

/**
 * Buffers a partition's rows between checkpoints and writes them as one Parquet part at each flush.
 * A part is named after the scan sequence of its first row. After a crash the partition resumes at its
 * last checkpoint and reads the same events in the same order, so the next part starts at the same
 * sequence and overwrites (in S3 and in Postgres) whatever the dead worker wrote past the checkpoint:
 * no row is ever in two parts.
 */
export class DatasetPartWriter {
  private rows: Array<{ sequence: number; row: DatasetRow }> = [];

  constructor(
    private readonly destination: PartDestination,
    private readonly parquet: ParquetDatasetStore,
    private readonly datasets: ReplayDatasetStore,
    /** Completes rows just before they are written (a rebuild adds the labels known then). */
    private readonly complete: (rows: DatasetRow[]) => Promise<DatasetRow[]> = (rows) =>
      Promise.resolve(rows),
  ) {}

  get buffered(): number {
    return this.rows.length;
  }

  /** Rows may come out of order (a sink handling keys concurrently); parts are written in scan order. */
  add(sequence: number, row: DatasetRow): void {
    this.rows.push({ sequence, row });
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const { jobId, owner, partition, bucket, prefix, columns, metadata } = this.destination;
    const ordered = [...this.rows].sort((a, b) => a.sequence - b.sequence);
    const firstSequence = ordered[0].sequence;
    const lastSequence = ordered[ordered.length - 1].sequence;
    const key = partKey(prefix, partition, firstSequence);
    let written;
    try {
      written = await this.parquet.write({
        bucket,
        key,
        columns,
        rows: await this.complete(ordered.map((entry) => entry.row)),
        metadata: { ...metadata, 'gyre.replay-job': jobId, 'gyre.partition': String(partition) },
      });
    } catch (error) {
      if (error instanceof DatasetError)
        throw new ReplayError('REPLAY_EXPORT_MISMATCH', error.message, { cause: error });
      throw new ReplayError('REPLAY_TARGET_UNAVAILABLE', 'could not write a Parquet part to S3', {
        retriable: true,
        cause: error,
      });
    }
    const saved = await this.datasets.savePart(jobId, owner, {
      partition,
      firstSequence,
      lastSequence,
      key,
      rowCount: written.rowCount,
      sizeBytes: written.sizeBytes,
      sha256: written.checksum.value,
    });
    // Lost the lease: the checkpoint that follows sees it too and stops the partition.
    if (saved) this.rows = [];
  }
}
