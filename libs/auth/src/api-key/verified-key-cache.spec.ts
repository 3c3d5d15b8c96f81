import type { AuthenticatedKey } from '../grants/access';
import { VerifiedKeyCache } from './verified-key-cache';

describe(VerifiedKeyCache.name, () => {
  const key: AuthenticatedKey = { id: 'k1', name: 'ingest', role: 'producer', scope: { kind: 'all' } };
  let now: number;
  const cache = (ttlMs: number) => new VerifiedKeyCache(ttlMs, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('returns a verified key for the same token until its TTL has passed', () => {
    const verified = cache(5000);
    verified.set('gyre_k1_secret', key, verified.generation);

    now += 4999;
    expect(verified.get('gyre_k1_secret')).toEqual(key);
    now += 1;
    expect(verified.get('gyre_k1_secret')).toBeUndefined();
  });

  it('knows nothing of another token naming the same key id', () => {
    const verified = cache(5000);
    verified.set('gyre_k1_secret', key, verified.generation);

    expect(verified.get('gyre_k1_other')).toBeUndefined();
  });

  it('forgets every token of a key at once, and refuses to keep a lookup that began before the forget', () => {
    const verified = cache(5000);
    verified.set('gyre_k1_secret', key, verified.generation);
    const lookupStarted = verified.generation;

    verified.forgetKey('k1');
    verified.set('gyre_k1_rotated', key, lookupStarted);

    expect(verified.get('gyre_k1_secret')).toBeUndefined();
    expect(verified.get('gyre_k1_rotated')).toBeUndefined();
  });

  it('keeps nothing with a TTL of 0', () => {
    const verified = cache(0);
    verified.set('gyre_k1_secret', key, verified.generation);

    expect(verified.get('gyre_k1_secret')).toBeUndefined();
  });
});
