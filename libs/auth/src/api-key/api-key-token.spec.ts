import { API_KEY_PREFIX, formatApiKey, newKeyId, newSecret, parseApiKey } from './api-key-token';

describe('API key tokens', () => {
  it('formats a key as gyre_<id>_<secret> and parses it back', () => {
    const token = { keyId: newKeyId(), secret: newSecret() };

    const key = formatApiKey(token);

    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(parseApiKey(key)).toEqual(token);
  });

  it('parses a secret that itself contains underscores and dashes', () => {
    const secret = `${'_'.repeat(20)}${'-'.repeat(20)}abc`;

    expect(parseApiKey(`gyre_0123456789abcdef_${secret}`)).toEqual({ keyId: '0123456789abcdef', secret });
  });

  it('makes a new, 256-bit secret and a 64-bit id every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, newSecret));

    expect(secrets.size).toBe(100);
    expect(Buffer.from(newSecret(), 'base64url')).toHaveLength(32);
    expect(newKeyId()).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['an empty string', ''],
    ['another prefix', `ghp_0123456789abcdef_${'a'.repeat(43)}`],
    ['an uppercase id', `gyre_0123456789ABCDEF_${'a'.repeat(43)}`],
    ['a short id', `gyre_0123456789abcde_${'a'.repeat(43)}`],
    ['a short secret', `gyre_0123456789abcdef_${'a'.repeat(42)}`],
    ['a long secret', `gyre_0123456789abcdef_${'a'.repeat(44)}`],
    ['a character outside base64url', `gyre_0123456789abcdef_${'a'.repeat(42)}=`],
    ['trailing whitespace', `gyre_0123456789abcdef_${'a'.repeat(43)} `],
  ])('refuses %s', (_case, token) => {
    expect(parseApiKey(token)).toBeUndefined();
  });
});
