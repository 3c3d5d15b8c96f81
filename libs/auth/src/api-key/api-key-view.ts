import type { ApiKeyRecord } from '@gyre/database';
import type { ApiKeyScope, Role } from '../grants/grants';

/** A key as it is listed and audited: never its secret, nor the secret's hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  scope: ApiKeyScope;
  createdBy: string;
  createdAt: string;
  rotatedAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key just created or rotated: `secret` is the whole key (`gyre_<id>_<secret>`), shown this once. */
export interface IssuedApiKey {
  key: ApiKeyView;
  secret: string;
}

export function viewOf(record: ApiKeyRecord): ApiKeyView {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    scope: record.scope,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    rotatedAt: iso(record.rotatedAt),
    lastUsedAt: iso(record.lastUsedAt),
    revokedAt: iso(record.revokedAt),
  };
}
