import { InvalidArgumentError } from '../errors';

/** The official consumer option `batchReceivePolicy`; a limit <= 0 is no limit. */
export interface BatchReceivePolicy {
  /** -1 (no count limit) by default; above receiverQueueSize it is lowered to it, as in the official clients. */
  maxNumMessages?: number;
  /** Payload bytes; 10 MiB by default. */
  maxNumBytes?: number;
  /** How long batchReceive() waits for a limit to be reached; 100 by default. */
  timeoutMs?: number;
}

export type ResolvedBatchReceivePolicy = Required<BatchReceivePolicy>;

/** The official defaults (C++ engine's BatchReceivePolicy(-1, 10 MiB, 100 ms)). */
export function resolveBatchReceivePolicy(
  policy: BatchReceivePolicy | undefined,
  receiverQueueSize: number,
): ResolvedBatchReceivePolicy {
  const resolved: ResolvedBatchReceivePolicy = {
    maxNumMessages: policy?.maxNumMessages ?? -1,
    maxNumBytes: policy?.maxNumBytes ?? 10 * 1024 * 1024,
    timeoutMs: policy?.timeoutMs ?? 100,
  };
  for (const [name, value] of Object.entries(resolved))
    if (!Number.isFinite(value))
      throw new InvalidArgumentError(`batchReceivePolicy.${name} must be a finite number, got ${value}`);
  if (resolved.maxNumMessages <= 0 && resolved.maxNumBytes <= 0 && resolved.timeoutMs <= 0)
    throw new InvalidArgumentError(
      'At least one of maxNumMessages, maxNumBytes and timeoutMs must be specified (> 0) in batchReceivePolicy',
    );
  // More than the queue can hold would never be reached: the broker stops at the permits we gave.
  if (resolved.maxNumMessages > receiverQueueSize) resolved.maxNumMessages = receiverQueueSize;
  return resolved;
}

/** A batch is due once a count or byte limit is reached (the timeout is the caller's). */
export function batchIsFull(policy: ResolvedBatchReceivePolicy, count: number, bytes: number): boolean {
  return (
    (policy.maxNumMessages > 0 && count >= policy.maxNumMessages) ||
    (policy.maxNumBytes > 0 && bytes >= policy.maxNumBytes)
  );
}

/**
 * How many of the queued messages (their payload sizes, oldest first) one batch takes: up to both limits,
 * and at least one, so a message larger than maxNumBytes is still handed out, alone.
 */
export function batchLength(policy: ResolvedBatchReceivePolicy, sizes: readonly number[]): number {
  let bytes = 0;
  let count = 0;
  for (const size of sizes) {
    if (policy.maxNumMessages > 0 && count >= policy.maxNumMessages) break;
    if (policy.maxNumBytes > 0 && count > 0 && bytes + size > policy.maxNumBytes) break;
    bytes += size;
    count++;
  }
  return count;
}
