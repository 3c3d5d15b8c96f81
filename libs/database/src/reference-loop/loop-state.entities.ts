import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-card feature state of a loop's prepare stage (a CardState snapshot), recovered by any worker. */
@Entity({ name: 'gyre_loop_card_states' })
export class LoopCardStateRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ name: 'card_id', type: 'text' })
  cardId!: string;

  @Column({ type: 'jsonb' })
  snapshot!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** The features prepare computed for one event: recorded once, so a redelivery re-emits the same values. */
@Entity({ name: 'gyre_loop_feature_rows' })
export class LoopFeatureRowRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'card_id', type: 'text' })
  cardId!: string;

  @Column({ type: 'integer' })
  epoch!: number;

  /** ms since the Unix epoch; bigint arrives as a string. */
  @Column({ name: 'event_time', type: 'bigint' })
  eventTime!: string;

  @Column({ type: 'jsonb' })
  values!: number[];

  /** How far (ms) behind its card's latest the transaction came, when beyond the allowed lateness. */
  @Column({ name: 'late_by_ms', type: 'bigint', nullable: true })
  lateByMs!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** Label counts per merchant or category: the merchant-risk features' source. */
@Entity({ name: 'gyre_loop_label_rates' })
export class LoopLabelRateRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: 'merchant' | 'category';

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'integer', default: 0 })
  labels!: number;

  @Column({ type: 'integer', default: 0 })
  fraud!: number;
}

/** A prediction and its label, joined by event id; either half may arrive first. */
@Entity({ name: 'gyre_loop_joins' })
export class LoopJoinRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'jsonb', nullable: true })
  prediction!: unknown;

  @Column({ type: 'smallint', nullable: true })
  label!: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A training example of an epoch (the join of an earlier epoch's prediction and its label). */
@Entity({ name: 'gyre_loop_examples' })
export class LoopExampleRecord {
  @PrimaryColumn({ type: 'text' })
  pipeline!: string;

  @PrimaryColumn({ type: 'integer' })
  epoch!: number;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'jsonb' })
  values!: number[];

  @Column({ type: 'smallint' })
  label!: number;

  /** What the serving model predicted for it (live evaluation of that model). */
  @Column({ type: 'double precision' })
  score!: number;

  @Column({ name: 'model_version', type: 'integer', nullable: true })
  modelVersion!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
