import { javaStringHash, murmur3Hash } from './hashing';

describe('key hashing', () => {
  it('computes Murmur3_32 (seed 0, UTF-8, masked) like the C++ and Go clients', () => {
    const vectors: Array<[string, number]> = [
      ['k1', 2110152746],
      ['k2', 1479966664],
      ['key1', 462881061],
      ['key2', 1936800180],
      ['key01', 39696932],
      ['key02', 751761803],
      ['hello', 0x248bfa47],
    ];
    for (const [key, hash] of vectors) expect(murmur3Hash(key)).toBe(hash);
  });

  it('computes JavaStringHash as String.hashCode() & 0x7fffffff', () => {
    expect(javaStringHash('keykeykeykeykey1')).toBe(434058482);
    expect(javaStringHash('keykeykey2')).toBe(42978643);
    expect(javaStringHash('hello')).toBe(0x5e918d2);
  });

  it('hashes UTF-16 code units for JavaStringHash, so non-ASCII keys match Java', () => {
    // "é".hashCode() == 233 and "😀".hashCode() == 0xd83d * 31 + 0xde00 in Java.
    expect(javaStringHash('é')).toBe(233);
    expect(javaStringHash('😀')).toBe(0xd83d * 31 + 0xde00);
  });
});
