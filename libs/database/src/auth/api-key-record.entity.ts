import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which streams a key reaches: all of them, the listed ones, or those whose name starts with a prefix. */
export type ApiKeyScopeRecord =
  { kind: 'all' } | { kind: 'streams'; streams: string[] } | { kind: 'prefix'; prefix: string };

/**
 * An API key. Only a hash of its secret is stored: the secret is shown once, when the key is created or
 * rotated. A revoked key stays (audit and last use stay readable) but never authenticates again.
 */
@Entity({ name: 'gyre_api_keys' })
export class ApiKeyRecord {
  /** The public part of the key (`gyre_<id>_<secret>`): looked up first, then the secret is checked. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: 'producer' | 'consumer' | 'admin';

  @Column({ type: 'jsonb' })
  scope!: ApiKeyScopeRecord;

  /** SHA-256 of the secret, hex. */
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
