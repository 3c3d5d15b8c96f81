import { BrokerError, isRetriable } from './errors';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  multiplier?: number;
  /** Up to this fraction of the delay is added at random, so many clients do not retry in step. */
  jitter?: number;
  random?: () => number;
}

/** Exponential backoff: 100 ms doubling to 60 s with up to 20 % jitter by default, like the Go client. */
export class Backoff {
  private next: number;
  private readonly options: Required<BackoffOptions>;

  constructor(options: BackoffOptions = {}) {
    this.options = {
      initialMs: 100,
      maxMs: 60_000,
      multiplier: 2,
      jitter: 0.2,
      random: Math.random,
      ...options,
    };
    this.next = this.options.initialMs;
  }

  nextDelay(): number {
    const base = this.next;
    this.next = Math.min(this.next * this.options.multiplier, this.options.maxMs);
    return Math.round(base + base * this.options.jitter * this.options.random());
  }

  reset(): void {
    this.next = this.options.initialMs;
  }
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts after the first; Infinity retries until a non-retriable error or `signal` aborts. */
  retries?: number;
  signal?: { readonly aborted: boolean };
  /** Stop retrying once this much time has passed since the first attempt. */
  timeoutMs?: number;
  /** Narrows which retriable errors are retried (all of them by default). */
  retryOn?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `operation` until it succeeds, throws a non-retriable error, or the retries are spent. */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const backoff = new Backoff(options);
  const retries = options.retries ?? 5;
  const sleep = options.sleep ?? defaultSleep;
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isRetriable(error) || attempt >= retries || options.signal?.aborted) throw error;
      if (options.retryOn && !options.retryOn(error)) throw error;
      const delay = backoff.nextDelay();
      if (Date.now() + delay > deadline) throw error;
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay);
      if (options.signal?.aborted) throw error;
    }
  }
}

/**
 * The first attach of a producer or consumer. A broker that answers with a transient error (a bundle
 * being unloaded after a restart, ServiceNotReady, TooManyRequests) is asked again within the operation
 * timeout, as the Java client does; an unreachable broker still fails at once.
 */
export function attachWithRetry<T>(
  attach: () => Promise<T>,
  options: BackoffOptions & { timeoutMs: number; stillWanted: () => boolean },
): Promise<T> {
  const { stillWanted, ...backoff } = options;
  return retry(attach, {
    ...backoff,
    signal: {
      get aborted() {
        return !stillWanted();
      },
    },
    retries: Infinity,
    // A full backlog quota will not clear by itself within the timeout: report it at once.
    retryOn: (error) =>
      error instanceof BrokerError && !error.serverError.startsWith('ProducerBlockedQuotaExceeded'),
  });
}
