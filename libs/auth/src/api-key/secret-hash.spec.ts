import { newSecret } from './api-key-token';
import { hashSecret, secretMatches } from './secret-hash';

describe(hashSecret.name, () => {
  it('stores SHA-256 as hex, never the secret itself', () => {
    const secret = newSecret();

    const hash = hashSecret(secret);

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
    expect(hashSecret(secret)).toBe(hash);
  });
});

describe(secretMatches.name, () => {
  it('accepts the secret a hash was made from and refuses any other', () => {
    const secret = newSecret();
    const hash = hashSecret(secret);

    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newSecret(), hash)).toBe(false);
    expect(secretMatches(`${secret}x`, hash)).toBe(false);
  });

  it('refuses, without throwing, a stored hash of the wrong length or format', () => {
    const secret = newSecret();

    expect(secretMatches(secret, '')).toBe(false);
    expect(secretMatches(secret, hashSecret(secret).slice(2))).toBe(false);
    expect(secretMatches(secret, 'not hex at all')).toBe(false);
  });
});
