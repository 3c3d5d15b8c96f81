import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A model version trained by a loop: where its artifact is, what it was trained on, how it scored. */
@Entity({ name: 'gyre_loop_model_versions' })
export class LoopModelVersionRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The epoch whose outputs (examples tagged epoch + 1) trained it. */
  @Column({ type: 'integer' })
  epoch!: number;

  @Column({ name: 'artifact_bucket', type: 'text' })
  artifactBucket!: string;

  @Column({ name: 'artifact_key', type: 'text' })
  artifactKey!: string;

  @Column({ type: 'text' })
  checksum!: string;

  @Column({ name: 'dataset_key', type: 'text' })
  datasetKey!: string;

  /** Held-out evaluation: AUC, log loss, Brier score, ECE, examples and positives. */
  @Column({ type: 'jsonb' })
  metrics!: Record<string, number>;

  @Column({ type: 'jsonb' })
  training!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
