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
  /** Issued by another process and verified with the shared secret: settled through its holder. */
  | { kind: 'foreign'; claim: LeaseClaim }
  /** Issued by another process whose key this one does not share (no CONSUME_LEASE_TOKEN_SECRET). */
  | { kind: 'misdirected'; claim: LeaseClaim }
  /** Malformed, forged, or issued for another stream or subscription. */
  | { kind: 'invalid' };

const MAC_BYTES = 16;
const FIELD = /^[A-Za-z0-9_-]+$/;

/** The leases one pull hands out: consecutive lease ids from `firstLeaseId`, one expiry. */
export interface LeaseBatch {
  firstLeaseId: number;
  count: number;
  expiresAt: number;
}

/**
 * Lease tokens: `<instance>.<lease id>.<expiry>.<message id>.<first lease id>.<count>.<mac>`, the MAC an
 * HMAC-SHA256 (128 bits kept) over the stream, the subscription, the instance, the expiry and the pull's
 * range of lease ids. One MAC per pull, not per message: a client cannot extend a lease, use a token on
 * another subscription, or reach a lease outside a pull it received; within its own pull it could swap
 * lease ids, which only settles other messages it holds (and the message id must still match the lease).
 */
export class LeaseTokens {
  /** This process's id in the tokens it issues: random, so a restarted process never honours old ones. */
  readonly instance = randomBytes(9).toString('base64url');
  /** With a secret every API instance shares, any instance can verify (and extend) any token. */
  readonly shared: boolean;
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.shared = secret !== undefined;
    this.key = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
  }

  /** Signs a pull's batch once; the returned function makes each message's token. */
  issueBatch(
    stream: string,
    subscription: string,
    batch: LeaseBatch,
    instance = this.instance,
  ): (leaseId: number, messageId: string) => string {
    const expiry = batch.expiresAt.toString(36);
    const range = `${batch.firstLeaseId.toString(36)}.${batch.count.toString(36)}`;
    const mac = this.mac(stream, subscription, instance, expiry, range).toString('base64url');
    const prefix = `${instance}.`;
    return (leaseId, messageId) => `${prefix}${leaseId.toString(36)}.${expiry}.${messageId}.${range}.${mac}`;
  }

  /** One token; for a single lease (a pull of one). */
  issue(
    stream: string,
    subscription: string,
    claim: Omit<LeaseClaim, 'instance'> & { instance?: string },
  ): string {
    return this.issueBatch(
      stream,
      subscription,
      { firstLeaseId: claim.leaseId, count: 1, expiresAt: claim.expiresAt },
      claim.instance,
    )(claim.leaseId, claim.messageId);
  }

  /**
   * Reads tokens presented for one subscription. `verified` remembers the batches already checked within
   * one ack or nack, so a hundred tokens of one pull cost one HMAC.
   */
  read(stream: string, subscription: string, token: string, verified = new Set<string>()): TokenReading {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 7 || !parts.every((part) => FIELD.test(part))) return { kind: 'invalid' };
    const [instance, leaseId, expiresAt, messageId, first, count, mac] = parts;
    const claim: LeaseClaim = {
      instance,
      leaseId: parseInt(leaseId, 36),
      expiresAt: parseInt(expiresAt, 36),
      messageId,
    };
    const firstLeaseId = parseInt(first, 36);
    const leases = parseInt(count, 36);
    if (![claim.leaseId, claim.expiresAt, firstLeaseId, leases].every(Number.isSafeInteger))
      return { kind: 'invalid' };
    if (claim.leaseId < firstLeaseId || claim.leaseId >= firstLeaseId + leases) return { kind: 'invalid' };
    const own = instance === this.instance;
    if (!own && !this.shared) return { kind: 'misdirected', claim };
    const kind = own ? 'valid' : 'foreign';
    const signed = `${instance}.${expiresAt}.${first}.${count}.${mac}`;
    if (verified.has(signed)) return { kind, claim };
    const expected = this.mac(stream, subscription, instance, expiresAt, `${first}.${count}`);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'invalid' };
    verified.add(signed);
    return { kind, claim };
  }

  private mac(stream: string, subscription: string, instance: string, expiry: string, range: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${stream}\n${subscription}\n${instance}.${expiry}.${range}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
