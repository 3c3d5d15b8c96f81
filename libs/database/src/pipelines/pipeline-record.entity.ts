import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A pipeline's current definition (stages, streams, handlers, parameters); workers poll this table. */
@Entity({ name: 'gyre_pipelines' })
export class PipelineRecord {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** Bumped on every change, so a worker can tell a changed pipeline from one it already runs. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'jsonb' })
  definition!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
