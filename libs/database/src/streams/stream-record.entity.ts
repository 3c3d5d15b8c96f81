import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A stream: a partitioned topic in the streams namespace, owned by one team, with a versioned schema. */
@Entity({ name: 'gyre_streams' })
export class StreamRecord {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'owner_team', type: 'text' })
  ownerTeam!: string;

  @Column({ type: 'integer' })
  partitions!: number;

  /** The version in gyre_stream_schema_versions that payloads are validated against. */
  @Column({ name: 'schema_version', type: 'integer' })
  schemaVersion!: number;

  /** Topic-level retention; null keeps the namespace's (infinite) retention. */
  @Column({ name: 'retention_minutes', type: 'integer', nullable: true })
  retentionMinutes!: number | null;

  @Column({ name: 'retention_size_mb', type: 'integer', nullable: true })
  retentionSizeMb!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
