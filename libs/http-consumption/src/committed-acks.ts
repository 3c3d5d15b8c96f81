import type { Client, Consumer, Message, Transaction } from '@gyre/pulsar';
import { StreamsError } from '@gyre/streams';
import type { LeaseConsumer } from './lease-book';

interface PendingAck {
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Acks committed together at most: a bound on one transaction's size, not a delay. */
const MAX_GROUP = 1000;
/** Groups committing at once at most: a group need not wait for the one ahead of it, and the broker is not flooded. */
const MAX_IN_FLIGHT = 4;

/** A transaction opened (and registered on the subscription) before a group of acks needs it. */
interface PreparedTransaction {
  txn: Promise<Transaction>;
  openedAt: number;
}

/**
 * A subscription consumer's acks, each answered only once a Pulsar transaction that carries it has
 * committed. A plain ack is answered by the broker before its cursor is saved (the cursor is saved at most
 * once a second, holes later still), so a broker killed right after forgets it and the message comes back;
 * a transactional ack is written to the subscription's pending-ack log before the commit is answered, and
 * replayed from there after a crash (measured in libs/pulsar/test/ack-durability.int-spec.ts).
 *
 * Group commit: the acks made together (one request) go in one transaction, up to MAX_IN_FLIGHT
 * transactions commit at once, and acks that arrive while all are busy go together in the next one; so the
 * cost per ack falls as the rate rises and a lone ack waits for no timer. A transaction costs four broker
 * round trips in turn (open, register the subscription, ack, commit): the next group's transaction is opened
 * and registered while a group commits, so a steady stream of acks waits for two.
 */
export class CommittedAcks implements LeaseConsumer {
  private readonly queued: PendingAck[] = [];
  private scheduled = false;
  private inFlight = 0;
  private prepared: PreparedTransaction | undefined;
  private closed = false;

  constructor(
    private readonly client: Pick<Client, 'newTransaction'>,
    private readonly consumer: Pick<
      Consumer,
      'acknowledgeAll' | 'negativeAcknowledge' | 'registerTransaction'
    >,
    private readonly transactionTimeoutMs: number,
    /** How long retriable failures are tried again before the acks are refused (the lease goes on). */
    private readonly retryWindowMs = transactionTimeoutMs,
    private readonly now: () => number = Date.now,
  ) {}

  acknowledge(message: Message): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ message, resolve, reject });
      if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT) return;
      this.scheduled = true;
      // The acks of one request are made in one synchronous run: let them all queue before committing.
      queueMicrotask(() => {
        this.scheduled = false;
        this.startGroups();
      });
    });
  }

  negativeAcknowledge(message: Message): void {
    this.consumer.negativeAcknowledge(message);
  }

  /** Aborts the transaction prepared ahead; the consumer is closing. */
  dispose(): void {
    this.closed = true;
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared) void discard(prepared.txn);
  }

  private startGroups(): void {
    while (this.queued.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const group = this.queued.splice(0, MAX_GROUP);
      this.inFlight += 1;
      void this.commitGroup(group).finally(() => {
        this.inFlight -= 1;
        this.startGroups();
      });
    }
  }

  private async commitGroup(group: PendingAck[]): Promise<void> {
    try {
      await this.commit(group.map((pending) => pending.message));
      for (const pending of group) pending.resolve();
    } catch (error) {
      for (const pending of group) pending.reject(error);
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
    const txn = await this.takeTransaction();
    this.prepareNext();
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

  /** The prepared transaction while it has at least half its timeout left, else a new one. */
  private takeTransaction(): Promise<Transaction> {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared && this.now() - prepared.openedAt < this.transactionTimeoutMs / 2) return prepared.txn;
    if (prepared) void discard(prepared.txn);
    return this.client.newTransaction({ timeoutMs: this.transactionTimeoutMs });
  }

  /**
   * Opens the next group's transaction now, registered on every partition of the subscription: groups of one
   * worker's pulls span different partitions from one to the next, and a partition registered but not acked
   * costs only its share of the commit, sent in parallel with the others.
   */
  private prepareNext(): void {
    if (this.prepared || this.closed) return;
    const txn = this.client.newTransaction({ timeoutMs: this.transactionTimeoutMs }).then(async (opened) => {
      // A failed registration is tried again by the ack itself.
      await this.consumer.registerTransaction(opened).catch(() => undefined);
      return opened;
    });
    // A failure to open surfaces in the group that takes it (and is retried there); none may go unhandled.
    txn.catch(() => undefined);
    this.prepared = { txn, openedAt: this.now() };
  }
}

async function discard(txn: Promise<Transaction>): Promise<void> {
  const opened = await txn.catch(() => undefined);
  if (opened?.getState() === 'open') await opened.abort().catch(() => undefined);
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
