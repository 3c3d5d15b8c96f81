import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One version of a stream's payload schema (a JSON Schema document); versions start at 1 and never change. */
@Entity({ name: 'gyre_stream_schema_versions' })
export class StreamSchemaVersion {
  @PrimaryColumn({ type: 'text' })
  stream!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ name: 'json_schema', type: 'jsonb' })
  jsonSchema!: Record<string, unknown>;

  /** The version Pulsar's schema registry gave the matching JSON schema. */
  @Column({ name: 'pulsar_version', type: 'bigint', nullable: true })
  pulsarVersion!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
