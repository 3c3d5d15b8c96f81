import type { RetryPolicy } from '../definition/pipeline-definition';

export type FailureDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'dead-letter'; reason: 'attempts-exhausted' | 'not-retriable' };

/**
 * Delay before attempt `attempt + 1`: initialBackoffMs * multiplier^(attempt - 1), capped, with up
 * to 20 % jitter so the failures of one burst do not all come back at the same instant.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(policy.initialBackoffMs * policy.multiplier ** exponent, policy.maxBackoffMs);
  return Math.round(Math.min(base + base * 0.2 * random(), policy.maxBackoffMs));
}

/** What to do with an event whose `attempt`-th handling failed with `error`. */
export function decideOnFailure(
  policy: RetryPolicy,
  attempt: number,
  error: unknown,
  random: () => number = Math.random,
): FailureDecision {
  if (isExplicitlyNotRetriable(error)) return { action: 'dead-letter', reason: 'not-retriable' };
  if (attempt >= policy.maxAttempts) return { action: 'dead-letter', reason: 'attempts-exhausted' };
  return { action: 'retry', delayMs: backoffDelay(policy, attempt, random) };
}

/** Unknown errors are retried: only an error that says `retriable: false` skips the remaining attempts. */
function isExplicitlyNotRetriable(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === false
  );
}
