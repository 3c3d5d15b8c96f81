import { randomBytes } from 'node:crypto';

/** Every key starts with this, so secret scanners (and people) recognise a leaked one. */
export const API_KEY_PREFIX = 'gyre_';
const KEY_ID_BYTES = 8;
const SECRET_BYTES = 32;
// The id is fixed-length hex, so the '_' that base64url secrets may contain cannot make parsing ambiguous.
const TOKEN = /^gyre_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** An API key as a client sends it: `gyre_<keyId>_<secret>`. */
export interface ApiKeyToken {
  keyId: string;
  secret: string;
}

export function newKeyId(): string {
  return randomBytes(KEY_ID_BYTES).toString('hex');
}

/** 256 random bits: high enough entropy that a fast hash is safe to store (see secret-hash.ts). */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function formatApiKey({ keyId, secret }: ApiKeyToken): string {
  return `${API_KEY_PREFIX}${keyId}_${secret}`;
}

/** The id and secret of a well-formed key; undefined for anything else. */
export function parseApiKey(token: string): ApiKeyToken | undefined {
  const match = TOKEN.exec(token);
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}
