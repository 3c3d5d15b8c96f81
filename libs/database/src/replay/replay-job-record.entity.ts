import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReplayJobState = 'pending' | 'running' | 'paused' | 'cancelled' | 'completed' | 'failed';

/**
 * One replay of a stream's history into a target. A worker owns a running job while its lease holds
 * (`lease_owner`, renewed by heartbeats); an expired lease lets another worker claim and resume it.
 * The positions, filter and target are the replay domain's JSON documents, stored as given.
 */
@Entity({ name: 'gyre_replay_jobs' })
export class ReplayJobRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'source_stream', type: 'text' })
  sourceStream!: string;

  @Column({ name: 'start_position', type: 'jsonb' })
  startPosition!: object;

  @Column({ name: 'end_position', type: 'jsonb' })
  endPosition!: object;

  @Column({ type: 'jsonb', nullable: true })
  filter!: object | null;

  @Column({ type: 'jsonb' })
  target!: object;

  @Column({ name: 'rate_limit_per_second', type: 'integer', nullable: true })
  rateLimitPerSecond!: number | null;

  @Column({ type: 'text' })
  state!: ReplayJobState;

  /** A token per claim: checkpoints and heartbeats of any other claim are refused. */
  @Column({ name: 'lease_owner', type: 'text', nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  claims!: number;

  /** Retriable failures so far; the job fails for good past the runner's limit. */
  @Column({ type: 'integer', default: 0 })
  failures!: number;

  @Column({ type: 'jsonb', nullable: true })
  error!: { code: string; message: string } | null;

  @Column({ name: 'rate_per_second', type: 'double precision', nullable: true })
  ratePerSecond!: number | null;

  @Column({ name: 'eta_seconds', type: 'double precision', nullable: true })
  etaSeconds!: number | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
