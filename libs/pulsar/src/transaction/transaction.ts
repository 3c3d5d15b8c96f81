import { TxnAction } from '../codec/protocol';
import { TransactionError } from '../errors';
import { CoordinatorClient } from './coordinator-client';
import { TxnId } from './txn-wire';

export type TransactionState = 'open' | 'committing' | 'aborting' | 'committed' | 'aborted' | 'failed';

/**
 * One Pulsar transaction, as in the Java client: sends and acks made with it take effect together on
 * commit() and never on abort(). Partitions and subscriptions are registered with its coordinator once,
 * before the first send or ack that touches them; commit waits for every send and ack made with it.
 */
export class Transaction {
  private state: TransactionState = 'open';
  private readonly registered = new Map<string, Promise<void>>();
  private readonly operations: Promise<unknown>[] = [];

  /** @internal Made by Client.newTransaction. */
  constructor(
    readonly id: TxnId,
    private readonly coordinator: CoordinatorClient,
  ) {}

  getState(): TransactionState {
    return this.state;
  }

  /** `most:least`, as the Java client prints a TxnID. */
  toString(): string {
    return `${this.id.mostBits}:${this.id.leastBits}`;
  }

  /** @internal A producer calls this before its first send with this txn to `partitionTopic`. */
  registerPartition(partitionTopic: string): Promise<void> {
    return this.register(`p:${partitionTopic}`, () =>
      this.coordinator.addPartitions(this.id, [partitionTopic]),
    );
  }

  /** @internal A consumer calls this before its first ack with this txn on `partitionTopic`. */
  registerSubscription(partitionTopic: string, subscription: string): Promise<void> {
    return this.register(`s:${partitionTopic}\u0000${subscription}`, () =>
      this.coordinator.addSubscription(this.id, partitionTopic, subscription),
    );
  }

  /** @internal Sends and acks made with this txn; commit waits for them and fails if one failed. */
  track<T>(operation: Promise<T>): Promise<T> {
    this.operations.push(operation);
    return operation;
  }

  /** Makes every send and ack of this transaction take effect; on failure the transaction is aborted. */
  async commit(): Promise<void> {
    this.requireOpen('commit');
    this.state = 'committing';
    const failed = (await Promise.allSettled(this.operations)).find(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    if (failed) {
      await this.end(TxnAction.ABORT).catch(() => undefined);
      this.state = 'aborted';
      throw new TransactionError(`transaction ${this.toString()} aborted: a send or ack in it failed`, {
        cause: failed.reason,
      });
    }
    await this.end(TxnAction.COMMIT);
    this.state = 'committed';
  }

  /** Discards every send and ack of this transaction (acked messages become unacked again). */
  async abort(): Promise<void> {
    this.requireOpen('abort');
    this.state = 'aborting';
    await Promise.allSettled(this.operations);
    await this.end(TxnAction.ABORT);
    this.state = 'aborted';
  }

  private async end(action: TxnAction): Promise<void> {
    try {
      await this.coordinator.end(this.id, action);
    } catch (error) {
      this.state = 'failed';
      throw error;
    }
  }

  private register(key: string, add: () => Promise<void>): Promise<void> {
    if (this.state !== 'open')
      return Promise.reject(
        new TransactionError(`cannot use transaction ${this.toString()}: it is ${this.state}`),
      );
    let registration = this.registered.get(key);
    if (!registration) {
      registration = add();
      this.registered.set(key, registration);
      // A failed registration may be tried again by the next operation.
      registration.catch(() => this.registered.delete(key));
    }
    return registration;
  }

  private requireOpen(action: string): void {
    if (this.state !== 'open')
      throw new TransactionError(`cannot ${action} transaction ${this.toString()}: it is ${this.state}`);
  }
}
