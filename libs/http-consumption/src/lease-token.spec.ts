import { LeaseTokens } from './lease-token';

describe(LeaseTokens.name, () => {
  const claim = { leaseId: 42, expiresAt: 1_767_225_600_000, messageId: 'CLMBEAAgADAA' };

  it('reads back the claim of a token it issued for the same stream and subscription', () => {
    const tokens = new LeaseTokens(undefined);
    const token = tokens.issue('clicks', 'scoring', claim);

    expect(tokens.read('clicks', 'scoring', token)).toEqual({
      kind: 'valid',
      claim: { ...claim, instance: tokens.instance },
    });
  });

  it('refuses a token presented for another subscription or stream', () => {
    const tokens = new LeaseTokens(undefined);
    const token = tokens.issue('clicks', 'scoring', claim);

    expect(tokens.read('clicks', 'training', token).kind).toBe('invalid');
    expect(tokens.read('views', 'scoring', token).kind).toBe('invalid');
  });

  it('refuses a token whose lease or expiry was changed by the client', () => {
    const tokens = new LeaseTokens(undefined);
    const [instance, leaseId, expiresAt, messageId, first, count, mac] = tokens
      .issue('clicks', 'scoring', claim)
      .split('.');
    const later = (claim.expiresAt + 60_000).toString(36);
    const forged = (...parts: string[]) => tokens.read('clicks', 'scoring', parts.join('.')).kind;

    expect(forged(instance, leaseId, later, messageId, first, count, mac)).toBe('invalid');
    expect(forged(instance, '1', expiresAt, messageId, first, count, mac)).toBe('invalid');
    expect(forged(instance, '1', expiresAt, messageId, '1', count, mac)).toBe('invalid');
    expect(forged(instance, leaseId, expiresAt, messageId, first, 'z', mac)).toBe('invalid');
  });

  it('signs a pull once: every token of the batch reads back, and none outside its range', () => {
    const tokens = new LeaseTokens(undefined);
    const tokenOf = tokens.issueBatch('clicks', 'scoring', {
      firstLeaseId: 10,
      count: 3,
      expiresAt: claim.expiresAt,
    });
    const verified = new Set<string>();

    for (const leaseId of [10, 11, 12])
      expect(tokens.read('clicks', 'scoring', tokenOf(leaseId, `m${leaseId}`), verified)).toEqual({
        kind: 'valid',
        claim: { instance: tokens.instance, leaseId, expiresAt: claim.expiresAt, messageId: `m${leaseId}` },
      });
    expect(verified.size).toBe(1);
    expect(tokens.read('clicks', 'scoring', tokenOf(13, 'm13')).kind).toBe('invalid');
    expect(tokens.read('clicks', 'scoring', tokenOf(9, 'm9')).kind).toBe('invalid');
  });

  it('refuses malformed tokens', () => {
    const tokens = new LeaseTokens(undefined);

    for (const token of [
      '',
      'abc',
      'a.b.c.d.e',
      'a.b.c.d.e.f.g.h',
      'a.1.1.d.1.1.é',
      'a.zzzzzzzzzzzzzzzz.1.m.1.1.x',
    ])
      expect(tokens.read('clicks', 'scoring', token).kind).toBe('invalid');
  });

  it("verifies another instance's token with the shared secret, so any instance can settle it", () => {
    const other = new LeaseTokens('s'.repeat(32));
    const token = other.issue('clicks', 'scoring', claim);
    const here = new LeaseTokens('s'.repeat(32));

    expect(here.read('clicks', 'scoring', token)).toEqual({
      kind: 'foreign',
      claim: { ...claim, instance: other.instance },
    });
    expect(here.read('clicks', 'training', token).kind).toBe('invalid');
    expect(new LeaseTokens('t'.repeat(32)).read('clicks', 'scoring', token).kind).toBe('invalid');
  });

  it('issues an extended token in the name of the instance holding the lease', () => {
    const holder = new LeaseTokens('s'.repeat(32));
    const extender = new LeaseTokens('s'.repeat(32));
    const later = { ...claim, expiresAt: claim.expiresAt + 60_000, instance: holder.instance };

    const token = extender.issue('clicks', 'scoring', later);

    expect(holder.read('clicks', 'scoring', token)).toEqual({ kind: 'valid', claim: later });
  });

  it("answers misdirected for another process's token when no secret is shared", () => {
    const token = new LeaseTokens(undefined).issue('clicks', 'scoring', claim);

    expect(new LeaseTokens(undefined).read('clicks', 'scoring', token).kind).toBe('misdirected');
  });
});
