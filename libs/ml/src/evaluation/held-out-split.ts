import { createHash } from 'node:crypto';
import { MlError } from '../ml-error';

/**
 * Whether an event belongs to the held-out slice: the first 32 bits of SHA-256(salt, event id)
 * as a fraction of 2^32, below `fraction`. Stable across processes, epochs and replays, so an
 * event never moves between training and evaluation.
 */
export function isHeldOut(eventId: string, fraction: number, salt = 'gyre.held-out.v1'): boolean {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new MlError('INVALID_ARGUMENT', `held-out fraction must be in [0, 1], got ${fraction}`);
  }
  const digest = createHash('sha256').update(salt).update('\0').update(eventId).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < fraction;
}

export function splitByEventId<T>(
  items: readonly T[],
  eventId: (item: T) => string,
  fraction: number,
  salt?: string,
): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const item of items) (isHeldOut(eventId(item), fraction, salt) ? heldOut : train).push(item);
  return { train, heldOut };
}
