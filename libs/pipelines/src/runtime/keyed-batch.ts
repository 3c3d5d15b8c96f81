/** What settling one handling of a Key_Shared batch needs from the runner. */
export interface KeyedSettlement<M> {
  keyOf(message: M): string;
  ack(message: M): Promise<void>;
  /** Dead-letters the event (resolves undefined) or resolves the backoff before retrying it in place. */
  settleFailure(message: M, error: unknown, attempt: number): Promise<number | undefined>;
}

/**
 * Settles one handling of a Key_Shared batch, in the batch's order, so nothing of a key is acked ahead of
 * an earlier event of that key: a success is acked, a dead-lettered failure lets its key go on, and an
 * event to retry holds back every later event of its key (even one that succeeded: handled again with it,
 * which is idempotent). Returns the events to handle again, in order, and the longest backoff among them.
 * `attempts` is updated for the events that failed themselves.
 */
export async function settleKeyedBatch<M>(
  pending: readonly M[],
  failures: readonly unknown[],
  attempts: Map<M, number>,
  settlement: KeyedSettlement<M>,
): Promise<{ again: M[]; delayMs: number }> {
  const held = new Set<string>();
  const again: M[] = [];
  let delayMs = 0;
  for (const [index, message] of pending.entries()) {
    const key = settlement.keyOf(message);
    if (held.has(key)) {
      again.push(message);
      continue;
    }
    if (failures[index] === undefined) {
      await settlement.ack(message);
      continue;
    }
    const attempt = attempts.get(message) ?? 1;
    const retryInMs = await settlement.settleFailure(message, failures[index], attempt);
    if (retryInMs === undefined) continue;
    attempts.set(message, attempt + 1);
    held.add(key);
    again.push(message);
    delayMs = Math.max(delayMs, retryInMs);
  }
  return { again, delayMs };
}
