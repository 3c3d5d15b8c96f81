import { TimeoutError } from '../errors';
import { ResolvedBatchReceivePolicy, batchIsFull, batchLength } from './batch-receive-policy';

interface Waiter<M> {
  resolve(message: M): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface BatchWaiter<M> {
  resolve(messages: M[]): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface Queued<M, S> {
  message: M;
  source: S;
  size: number;
}

/**
 * A consumer's received messages and the calls waiting for them: receive() takes one, batchReceive() a
 * batch by the policy. `handOut` runs as each message leaves the queue (permits, ack-timeout tracking).
 */
export class ReceiveQueue<M extends { getData(): Buffer }, S> {
  private queued: Array<Queued<M, S>> = [];
  private bytes = 0;
  private readonly waiters: Array<Waiter<M>> = [];
  private readonly batchWaiters: Array<BatchWaiter<M>> = [];

  constructor(
    private readonly batchPolicy: ResolvedBatchReceivePolicy,
    private readonly handOut: (message: M, source: S) => M,
  ) {}

  get length(): number {
    return this.queued.length;
  }

  push(message: M, source: S): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.handOut(message, source));
      return;
    }
    const size = message.getData().length;
    this.queued.push({ message, source, size });
    this.bytes += size;
    while (this.batchWaiters.length > 0 && batchIsFull(this.batchPolicy, this.queued.length, this.bytes)) {
      const batchWaiter = this.batchWaiters.shift()!;
      clearTimeout(batchWaiter.timer);
      batchWaiter.resolve(this.takeBatch());
    }
  }

  /** The next message; rejects with TIMEOUT after `timeoutMs` if given. */
  receive(timeoutMs?: number): Promise<M> {
    const next = this.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<M> = { resolve, reject };
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new TimeoutError('TIMEOUT', `no message within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  /**
   * Resolves once a count or byte limit is reached, or at the policy's timeout with what has come by
   * then (possibly nothing), as the official clients do.
   */
  batchReceive(): Promise<M[]> {
    if (this.batchWaiters.length === 0 && batchIsFull(this.batchPolicy, this.queued.length, this.bytes))
      return Promise.resolve(this.takeBatch());
    return new Promise((resolve, reject) => {
      const waiter: BatchWaiter<M> = { resolve, reject };
      if (this.batchPolicy.timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          this.batchWaiters.splice(this.batchWaiters.indexOf(waiter), 1);
          resolve(this.takeBatch());
        }, this.batchPolicy.timeoutMs);
      }
      this.batchWaiters.push(waiter);
    });
  }

  /** The oldest queued message, handed out; undefined when the queue is empty. */
  shift(): M | undefined {
    const next = this.queued.shift();
    if (!next) return undefined;
    this.bytes -= next.size;
    return this.handOut(next.message, next.source);
  }

  /** Drops the messages `source` queued (it will receive them again); returns how many. */
  drop(source: S): number {
    const before = this.queued.length;
    this.queued = this.queued.filter((entry) => entry.source !== source);
    this.bytes = this.queued.reduce((sum, entry) => sum + entry.size, 0);
    return before - this.queued.length;
  }

  /** Drops the queued messages `matches` picks, without handing them out; returns how many. */
  remove(matches: (message: M) => boolean): number {
    if (!this.queued.some((entry) => matches(entry.message))) return 0;
    const before = this.queued.length;
    this.queued = this.queued.filter((entry) => !matches(entry.message));
    if (this.queued.length < before) this.bytes = this.queued.reduce((sum, entry) => sum + entry.size, 0);
    return before - this.queued.length;
  }

  /** Rejects every waiting call with `error`. */
  close(error: Error): void {
    for (const waiter of [...this.waiters.splice(0), ...this.batchWaiters.splice(0)]) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  private takeBatch(): M[] {
    const count = batchLength(
      this.batchPolicy,
      this.queued.map((entry) => entry.size),
    );
    const batch: M[] = [];
    for (let i = 0; i < count; i++) batch.push(this.shift()!);
    return batch;
  }
}
