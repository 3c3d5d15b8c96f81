import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A claim on an Idempotency-Key or an event id of one stream. Inserted before publishing (so a concurrent
 * duplicate finds it), completed with the response once the broker has acknowledged every event.
 */
@Entity({ name: 'gyre_ingest_idempotency' })
export class IngestIdempotencyRecord {
  @PrimaryColumn({ type: 'text' })
  stream!: string;

  /** `request:<Idempotency-Key>` or `event:<id>`. */
  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** SHA-256 of the canonical request (or event): the same key with another body is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'text' })
  state!: 'pending' | 'done';

  /** Which request holds a pending claim: only it may complete or release the claim. */
  @Column({ name: 'claim_token', type: 'text' })
  claimToken!: string;

  @Column({ type: 'jsonb', nullable: true })
  response!: unknown;

  @Column({ name: 'claimed_at', type: 'timestamptz', default: () => 'now()' })
  claimedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
