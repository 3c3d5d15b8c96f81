import { Injectable } from '@nestjs/common';
import type { DatasetColumn } from '@gyre/storage';
import { DataSource, EntityManager } from 'typeorm';

/** A dataset a replay writes (a Parquet export or a feature rebuild's training set): its manifest row. */
export interface ReplayDatasetRecord {
  jobId: string;
  dataset: string;
  bucket: string;
  /** Parts are `<prefix>/partition-<n>/part-<first sequence>.parquet`. */
  prefix: string;
  schema: DatasetColumn[];
  metadata: Record<string, string>;
  state: 'writing' | 'complete';
  rowCount: number | null;
  sizeBytes: number | null;
  completedAt: Date | null;
}

export interface ReplayDatasetPart {
  partition: number;
  firstSequence: number;
  lastSequence: number;
  key: string;
  rowCount: number;
  sizeBytes: number;
  sha256: string;
}

/** Postgres I/O of replay datasets: the manifest (gyre_replay_datasets) and its parts. */
@Injectable()
export class ReplayDatasetStore {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    manager: EntityManager,
    dataset: Omit<ReplayDatasetRecord, 'state' | 'rowCount' | 'sizeBytes' | 'completedAt'>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO gyre_replay_datasets (job_id, dataset, bucket, prefix, schema, metadata, state)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, 'writing')`,
      [
        dataset.jobId,
        dataset.dataset,
        dataset.bucket,
        dataset.prefix,
        JSON.stringify(dataset.schema),
        JSON.stringify(dataset.metadata),
      ],
    );
  }

  async find(jobId: string): Promise<ReplayDatasetRecord | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT job_id, dataset, bucket, prefix, schema, metadata, state, row_count, size_bytes, completed_at
         FROM gyre_replay_datasets WHERE job_id = $1`,
      [jobId],
    )) as Array<Record<string, unknown>>;
    const row = rows[0];
    if (!row) return undefined;
    return {
      jobId: String(row.job_id),
      dataset: String(row.dataset),
      bucket: String(row.bucket),
      prefix: String(row.prefix),
      schema: row.schema as DatasetColumn[],
      metadata: row.metadata as Record<string, string>,
      state: row.state as 'writing' | 'complete',
      rowCount: row.row_count === null ? null : Number(row.row_count),
      sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
      completedAt: (row.completed_at as Date | null) ?? null,
    };
  }

  async parts(jobId: string): Promise<ReplayDatasetPart[]> {
    const rows = (await this.dataSource.query(
      `SELECT partition, first_sequence, last_sequence, key, row_count, size_bytes, sha256
         FROM gyre_replay_dataset_parts WHERE job_id = $1 ORDER BY partition, first_sequence`,
      [jobId],
    )) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      partition: Number(row.partition),
      firstSequence: Number(row.first_sequence),
      lastSequence: Number(row.last_sequence),
      key: String(row.key),
      rowCount: Number(row.row_count),
      sizeBytes: Number(row.size_bytes),
      sha256: String(row.sha256),
    }));
  }

  /**
   * Records a written part, fenced by the job's lease. A part rewritten after a resume starts at the
   * same sequence (the first event after the last checkpoint), so it replaces the row it overwrote.
   */
  async savePart(jobId: string, owner: string, part: ReplayDatasetPart): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO gyre_replay_dataset_parts
              (job_id, partition, first_sequence, last_sequence, key, row_count, size_bytes, sha256)
       SELECT $1, $3, $4, $5, $6, $7, $8, $9 FROM gyre_replay_jobs WHERE id = $1 AND lease_owner = $2
       ON CONFLICT (job_id, partition, first_sequence) DO UPDATE
          SET last_sequence = EXCLUDED.last_sequence, key = EXCLUDED.key, row_count = EXCLUDED.row_count,
              size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, written_at = now()
       RETURNING partition`,
      [
        jobId,
        owner,
        part.partition,
        part.firstSequence,
        part.lastSequence,
        part.key,
        part.rowCount,
        part.sizeBytes,
        part.sha256,
      ],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Marks the dataset complete with its totals (once every partition is done). */
  async complete(jobId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE gyre_replay_datasets d
          SET state = 'complete', completed_at = now(),
              row_count = (SELECT coalesce(sum(row_count), 0) FROM gyre_replay_dataset_parts WHERE job_id = $1),
              size_bytes = (SELECT coalesce(sum(size_bytes), 0) FROM gyre_replay_dataset_parts WHERE job_id = $1)
        WHERE d.job_id = $1`,
      [jobId],
    );
  }
}
