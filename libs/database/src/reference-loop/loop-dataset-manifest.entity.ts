import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The training dataset of an epoch, as written to S3 (Parquet): enough to find, verify and read it. */
@Entity({ name: 'gyre_loop_dataset_manifests' })
export class LoopDatasetManifestRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ type: 'integer' })
  epoch!: number;

  @Column({ type: 'text' })
  bucket!: string;

  @Column({ type: 'jsonb' })
  keys!: string[];

  @Column({ name: 'row_count', type: 'integer' })
  rowCount!: number;

  @Column({ type: 'jsonb' })
  schema!: unknown;

  /** Hex SHA-256 of the object's bytes. */
  @Column({ type: 'text' })
  checksum!: string;

  /** bigint: arrives as a string. */
  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, string>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
