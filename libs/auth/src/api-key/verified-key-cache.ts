import { hash } from 'node:crypto';
import type { AuthenticatedKey } from '../grants/access';

interface Entry {
  key: AuthenticatedKey;
  expiresAt: number;
}

// Bounds memory against many distinct valid keys; a full cache is emptied, not scanned.
const MAX_ENTRIES = 10_000;

/**
 * Keys verified against Postgres in the last `ttlMs`, by a SHA-256 of the whole presented token (never the
 * token itself), so a hit proves the caller presented exactly the secret that was verified. Only successes
 * are kept: a revoked, rotated-away or unknown key always goes back to Postgres.
 */
export class VerifiedKeyCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every forget: a lookup that began before it must not cache what it read. */
  private forgets = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): AuthenticatedKey | undefined {
    if (this.ttlMs <= 0) return undefined;
    const digest = digestOf(token);
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.key;
    this.entries.delete(digest);
    return undefined;
  }

  /** Taken before reading Postgres, passed back to `set`. */
  get generation(): number {
    return this.forgets;
  }

  set(token: string, key: AuthenticatedKey, generation: number): void {
    if (this.ttlMs <= 0 || generation !== this.forgets) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(digestOf(token), { key, expiresAt: this.now() + this.ttlMs });
  }

  /** Forgets every token of the key: its revocation or rotation on this instance takes effect at once. */
  forgetKey(keyId: string): void {
    this.forgets += 1;
    for (const [digest, entry] of this.entries) if (entry.key.id === keyId) this.entries.delete(digest);
  }
}

// One-shot hash: no Hash object per request (createHash cost more than the digest of a short token).
function digestOf(token: string): string {
  return hash('sha256', token, 'base64');
}
