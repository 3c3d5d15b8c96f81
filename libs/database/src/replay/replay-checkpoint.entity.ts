import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A replay job's progress on one source partition. The start and end are resolved when the job is
 * created (`end_id` is the last message then, or the given id); `last_id` is the last message whose
 * output the target acknowledged. Ids are the client's opaque message ids; bigints arrive as strings.
 */
@Entity({ name: 'gyre_replay_checkpoints' })
export class ReplayCheckpointRecord {
  @PrimaryColumn({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @PrimaryColumn({ type: 'integer' })
  partition!: number;

  /** Null: the partition's earliest message. */
  @Column({ name: 'start_id', type: 'text', nullable: true })
  startId!: string | null;

  /** Null: the partition was empty when the job was created, there is nothing to read. */
  @Column({ name: 'end_id', type: 'text', nullable: true })
  endId!: string | null;

  @Column({ name: 'last_id', type: 'text', nullable: true })
  lastId!: string | null;

  /** Messages read from the source (the position used as the target producer's sequence id). */
  @Column({ type: 'bigint', default: 0 })
  scanned!: string;

  /** Messages that matched the filter and were published to the target. */
  @Column({ type: 'bigint', default: 0 })
  events!: string;

  @Column({ type: 'bigint', default: 0 })
  bytes!: string;

  /** Entries between the start and the end when the job was created: the ETA's denominator. */
  @Column({ type: 'bigint', default: 0 })
  estimated!: string;

  @Column({ type: 'boolean', default: false })
  done!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
