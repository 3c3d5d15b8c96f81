import type { Client, Consumer, Message } from '@gyre/pulsar';
import { StreamsError } from '@gyre/streams';
import type { LeaseConsumer } from './lease-book';

interface PendingAck {
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Acks committed together at most: a bound on one transaction's size, not a delay. */
const MAX_GROUP = 1000;

/**
 * A subscription consumer's acks, each answered only once a Pulsar transaction that carries it has
 * committed. A plain ack is answered by the broker before its cursor is saved (the cursor is saved at most
 * once a second, holes later still), so a broker killed right after forgets it and the message comes back;
 * a transactional ack is written to the subscription's pending-ack log before the commit is answered, and
 * replayed from there after a crash (measured in libs/pulsar/test/ack-durability.int-spec.ts).
 *
 * Group commit: acks that arrive while a commit is in flight wait for it and go together in the next
 * transaction, so the cost per ack falls as the rate rises and a lone ack waits for no timer.
 */
export class CommittedAcks implements LeaseConsumer {
  private readonly queued: PendingAck[] = [];
  private committing = false;

  constructor(
    private readonly client: Pick<Client, 'newTransaction'>,
    private readonly consumer: Pick<Consumer, 'acknowledgeAll' | 'negativeAcknowledge'>,
    private readonly transactionTimeoutMs: number,
    /** How long retriable failures are tried again before the acks are refused (the lease goes on). */
    private readonly retryWindowMs = transactionTimeoutMs,
    private readonly now: () => number = Date.now,
  ) {}

  acknowledge(message: Message): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ message, resolve, reject });
      if (this.committing) return;
      this.committing = true;
      // The acks of one request are made in one synchronous run: let them all queue before committing.
      queueMicrotask(() => void this.commitQueued());
    });
  }

  negativeAcknowledge(message: Message): void {
    this.consumer.negativeAcknowledge(message);
  }

  private async commitQueued(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const group = this.queued.splice(0, MAX_GROUP);
        try {
          await this.commit(group.map((pending) => pending.message));
          for (const pending of group) pending.resolve();
        } catch (error) {
          for (const pending of group) pending.reject(error);
        }
      }
    } finally {
      this.committing = false;
    }
  }

  /**
   * Commits the acks in a new transaction, again while the failure is retriable (a consumer re-attaching
   * after its topic moved broker, a coordinator starting) until `retryWindowMs` has passed.
   */
  private async commit(messages: Message[]): Promise<void> {
    const deadline = this.now() + this.retryWindowMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.commitOnce(messages);
        return;
      } catch (error) {
        const delayMs = Math.min(100 * 2 ** (attempt - 1), 1000);
        if (!isRetriable(error) || this.now() + delayMs >= deadline) throw unavailable(error);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async commitOnce(messages: Message[]): Promise<void> {
    const txn = await this.client.newTransaction({ timeoutMs: this.transactionTimeoutMs });
    try {
      // One ack command per partition for the whole group: the round trips do not grow with its size.
      await this.consumer.acknowledgeAll(messages, txn);
      await txn.commit();
    } catch (error) {
      // An aborted ack leaves the message unacked and still held by this consumer: its lease goes on.
      if (txn.getState() === 'open') await txn.abort().catch(() => undefined);
      throw error;
    }
  }
}

function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

function unavailable(cause: unknown): StreamsError {
  return new StreamsError(
    'CONSUME_UNAVAILABLE',
    'Pulsar did not commit the acks; the leases run on, retry them',
    {
      retriable: true,
      cause,
      retryAfterSeconds: 1,
    },
  );
}
