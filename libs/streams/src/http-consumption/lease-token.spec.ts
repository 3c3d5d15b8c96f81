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
    const [instance, leaseId, expiresAt, messageId, mac] = tokens
      .issue('clicks', 'scoring', claim)
      .split('.');
    const later = (claim.expiresAt + 60_000).toString(36);

    expect(tokens.read('clicks', 'scoring', [instance, leaseId, later, messageId, mac].join('.')).kind).toBe(
      'invalid',
    );
    expect(tokens.read('clicks', 'scoring', [instance, '1', expiresAt, messageId, mac].join('.')).kind).toBe(
      'invalid',
    );
  });

  it('refuses malformed tokens', () => {
    const tokens = new LeaseTokens(undefined);

    for (const token of ['', 'abc', 'a.b.c.d', 'a.b.c.d.e.f', 'a.b.c.d.é', 'a.zzzzzzzzzzzzzzzz.1.m.x'])
      expect(tokens.read('clicks', 'scoring', token).kind).toBe('invalid');
  });

  it("recognises another process's token without vouching for it", () => {
    const other = new LeaseTokens('s'.repeat(32));
    const token = other.issue('clicks', 'scoring', claim);

    expect(new LeaseTokens('s'.repeat(32)).read('clicks', 'scoring', token)).toEqual({
      kind: 'foreign',
      claim: { ...claim, instance: other.instance },
    });
  });
});
