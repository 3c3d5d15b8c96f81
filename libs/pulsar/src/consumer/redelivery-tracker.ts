import { MessageId } from '../codec/message-id';

/**
 * Ids waiting to be redelivered at a deadline: negative acks (after nAckRedeliverTimeoutMs) and
 * unacked deliveries (after ackTimeoutMs). One timer, ticking at a fraction of the delay.
 */
export class RedeliveryTracker {
  private readonly due = new Map<string, { id: MessageId; at: number }>();
  private timer?: NodeJS.Timeout;
  private tickMs = Infinity;

  constructor(
    private readonly delayMs: number,
    private readonly onDue: (ids: MessageId[]) => void,
  ) {}

  /** Schedules `id` after `delayMs` (the tracker's delay by default); a shorter delay ticks faster. */
  add(id: MessageId, delayMs = this.delayMs): void {
    this.due.set(`${id.partition}:${id.toString()}`, { id, at: Date.now() + delayMs });
    const tickMs = Math.max(10, Math.min(1000, Math.floor(delayMs / 3)));
    if (tickMs < this.tickMs) {
      clearInterval(this.timer);
      this.tickMs = tickMs;
      this.timer = setInterval(() => this.tick(), tickMs);
      this.timer.unref();
    }
  }

  remove(id: MessageId): void {
    if (this.due.size === 0) return; // the common case: an ack with no redelivery scheduled
    this.due.delete(`${id.partition}:${id.toString()}`);
  }

  /** Removes everything at or before `id` in its partition (cumulative ack). */
  removeUpTo(id: MessageId): void {
    if (this.due.size === 0) return;
    for (const [key, entry] of this.due)
      if (entry.id.partition === id.partition && entry.id.compareTo(id) <= 0) this.due.delete(key);
  }

  clear(): void {
    this.due.clear();
  }

  stop(): void {
    this.stopTimer();
    this.due.clear();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.tickMs = Infinity;
  }

  private tick(): void {
    const now = Date.now();
    const ready: MessageId[] = [];
    for (const [key, entry] of this.due) {
      if (entry.at <= now) {
        ready.push(entry.id);
        this.due.delete(key);
      }
    }
    if (this.due.size === 0) this.stopTimer();
    if (ready.length > 0) this.onDue(ready);
  }
}
