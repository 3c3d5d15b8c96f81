import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One epoch of a feedback-loop pipeline: which model served it and which model its outputs trained. */
@Entity({ name: 'gyre_loop_epochs' })
export class LoopEpochRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ type: 'integer' })
  epoch!: number;

  /** open: events are tagged with it; training: its next model is being trained; closed: done. */
  @Column({ type: 'text' })
  state!: 'open' | 'training' | 'closed';

  /** The model version that scored this epoch's events; null before the first model exists. */
  @Column({ name: 'serving_model_version', type: 'integer', nullable: true })
  servingModelVersion!: number | null;

  @Column({ name: 'trained_model_version', type: 'integer', nullable: true })
  trainedModelVersion!: number | null;

  /** When a trainer claimed the epoch; a stale claim (a trainer that died) may be taken over. */
  @Column({ name: 'training_claimed_at', type: 'timestamptz', nullable: true })
  trainingClaimedAt!: Date | null;

  @Column({ name: 'opened_at', type: 'timestamptz', default: () => 'now()' })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
