import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a lease token says: which process leased which message, under which lease, until when. */
export interface LeaseClaim {
  /** The API process that holds the message (its consumer of the subscription). */
  instance: string;
  /** Unique per lease in that process: a redelivered message gets a new lease, so old tokens stay old. */
  leaseId: number;
  expiresAt: number;
  /** The message id, opaque (base64url), as in the pull response. */
  messageId: string;
}

/** The outcome of reading a token presented for one subscription. */
export type TokenReading =
  | { kind: 'valid'; claim: LeaseClaim }
  /** Issued by another process: its signature cannot (and need not) be checked here. */
  | { kind: 'foreign'; claim: LeaseClaim }
  /** Malformed, forged, or issued for another stream or subscription. */
  | { kind: 'invalid' };

const MAC_BYTES = 16;
const FIELD = /^[A-Za-z0-9_-]+$/;

/**
 * Lease tokens: `<instance>.<lease id>.<expiry>.<message id>.<mac>`, the MAC an HMAC-SHA256 (128 bits
 * kept) over the stream, the subscription and the four fields, so a token is only redeemable for the
 * subscription it was leased from, and a client cannot extend its lease or name another message.
 */
export class LeaseTokens {
  /** This process's id in the tokens it issues: random, so a restarted process never honours old ones. */
  readonly instance = randomBytes(9).toString('base64url');
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.key = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
  }

  issue(stream: string, subscription: string, claim: Omit<LeaseClaim, 'instance'>): string {
    const body = [
      this.instance,
      claim.leaseId.toString(36),
      claim.expiresAt.toString(36),
      claim.messageId,
    ].join('.');
    return `${body}.${this.mac(stream, subscription, body).toString('base64url')}`;
  }

  read(stream: string, subscription: string, token: string): TokenReading {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 5 || !parts.every((part) => FIELD.test(part))) return { kind: 'invalid' };
    const [instance, leaseId, expiresAt, messageId, mac] = parts;
    const claim: LeaseClaim = {
      instance,
      leaseId: parseInt(leaseId, 36),
      expiresAt: parseInt(expiresAt, 36),
      messageId,
    };
    if (!Number.isSafeInteger(claim.leaseId) || !Number.isSafeInteger(claim.expiresAt))
      return { kind: 'invalid' };
    if (instance !== this.instance) return { kind: 'foreign', claim };
    const expected = this.mac(stream, subscription, parts.slice(0, 4).join('.'));
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'invalid' };
    return { kind: 'valid', claim };
  }

  private mac(stream: string, subscription: string, body: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${stream}\n${subscription}\n${body}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
