import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One administrative change: who did what to which target, with the state before and after. */
@Entity({ name: 'gyre_audit_log' })
export class AuditLogEntry {
  // bigint arrives from pg as a string: it can exceed Number.MAX_SAFE_INTEGER.
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
