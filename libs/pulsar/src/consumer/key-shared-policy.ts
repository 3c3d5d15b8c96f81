import { InvalidArgumentError } from '../errors';
import type { KeySharedMeta } from '../codec/protocol';

export type KeyShareMode = 'AutoSplit' | 'Sticky';

/** The official consumer option `keySharedPolicy` (KeyShared subscriptions). */
export interface KeySharedPolicy {
  /** AutoSplit by default: the broker splits the key hash space among consumers. */
  keyShareMode?: KeyShareMode;
  /** Lets the broker deliver a key's new messages before its earlier ones are acked. false by default. */
  allowOutOfOrderDelivery?: boolean;
  /** Sticky: the inclusive key-hash ranges in [0, 65535] this consumer owns. */
  stickyRanges?: Array<{ start: number; end: number }>;
}

const HASH_RANGE_MAX = 65_535;
const KEY_SHARED_MODES: Record<KeyShareMode, number> = { AutoSplit: 0, Sticky: 1 };

/**
 * The SUBSCRIBE command's key_shared_meta for a KeyShared subscription. Anything the broker would refuse
 * later, or a policy on another subscription type, is refused here with the reason.
 */
export function keySharedMeta(
  policy: KeySharedPolicy | undefined,
  subscriptionType: string,
): KeySharedMeta | undefined {
  if (!policy) return undefined;
  if (subscriptionType !== 'KeyShared')
    throw new InvalidArgumentError(
      `keySharedPolicy needs subscriptionType 'KeyShared', got '${subscriptionType}'`,
    );
  const mode = policy.keyShareMode ?? 'AutoSplit';
  if (!(mode in KEY_SHARED_MODES))
    throw new InvalidArgumentError(`keyShareMode must be 'AutoSplit' or 'Sticky', got '${String(mode)}'`);
  const ranges = policy.stickyRanges ?? [];
  if (mode === 'AutoSplit' && ranges.length > 0)
    throw new InvalidArgumentError("stickyRanges need keyShareMode 'Sticky'");
  if (mode === 'Sticky') checkStickyRanges(ranges);
  return {
    keySharedMode: KEY_SHARED_MODES[mode],
    hashRanges: mode === 'Sticky' ? ranges.map(({ start, end }) => ({ start, end })) : undefined,
    allowOutOfOrderDelivery: policy.allowOutOfOrderDelivery ?? false,
  };
}

function checkStickyRanges(ranges: Array<{ start: number; end: number }>): void {
  if (ranges.length === 0)
    throw new InvalidArgumentError("keyShareMode 'Sticky' needs at least one of stickyRanges");
  for (const { start, end } of ranges) {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > HASH_RANGE_MAX ||
      start > end
    )
      throw new InvalidArgumentError(
        `Ranges for KeyShared policy must be in 0 to ${HASH_RANGE_MAX} with start <= end, got [${start}, ${end}]`,
      );
  }
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].start <= sorted[i - 1].end)
      throw new InvalidArgumentError(
        `Ranges for KeyShared policy with overlap: [${sorted[i - 1].start}, ${sorted[i - 1].end}] and ` +
          `[${sorted[i].start}, ${sorted[i].end}]`,
      );
}
