import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One dead letter being (or having been) republished to its stream. Written before the publish with the
 * sequence id the redrive producer uses, so a redrive retried after a crash resends the same message
 * with the same producer name and sequence id, and the broker's deduplication drops it if it landed.
 */
@Entity({ name: 'gyre_dead_letter_redrives' })
export class DeadLetterRedrive {
  @PrimaryColumn({ name: 'dead_letter_topic', type: 'text' })
  deadLetterTopic!: string;

  /** The dead letter's position, `ledger:entry:partition[:batchIndex]`. */
  @PrimaryColumn({ name: 'dead_letter_id', type: 'text' })
  deadLetterId!: string;

  @Column({ type: 'text' })
  stream!: string;

  @Column({ type: 'integer' })
  partition!: number;

  // bigint arrives from pg as a string.
  @Column({ name: 'sequence_id', type: 'bigint' })
  sequenceId!: string;

  @Column({ type: 'text' })
  state!: 'pending' | 'published';

  /** The republished message's opaque id; null while pending, or when the broker reported a duplicate. */
  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
