import { isRetriable } from './errors';

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
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isRetriable(error) || attempt >= retries || options.signal?.aborted) throw error;
      const delay = backoff.nextDelay();
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay);
      if (options.signal?.aborted) throw error;
    }
  }
}
