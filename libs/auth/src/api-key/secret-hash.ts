import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256, not scrypt: the secret is 256 random bits, so guessing it from a leaked hash is infeasible at
 * any hash speed; a slow KDF only helps low-entropy passwords, and would cost tens of milliseconds of CPU on
 * every request of a hot path that aims at thousands of requests per second.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison with a stored hash, so response timing reveals nothing of it. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  const expected = Buffer.from(storedHash, 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
