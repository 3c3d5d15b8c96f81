import { ClientContext } from '../client-context';
import { BaseCommand, TxnAction, toBigInt } from '../codec/protocol';
import { Connection } from '../connection/connection';
import { TransactionError } from '../errors';
import { partitionTopicName } from '../lookup/topic-name';
import { retry } from '../retry';
import {
  TxnId,
  addPartitionCommand,
  addSubscriptionCommand,
  endTxnCommand,
  newTxnCommand,
  replyError,
  tcConnectCommand,
} from './txn-wire';

/** The transaction coordinators are the partitions of this topic; coordinator i owns partition i. */
export const TC_ASSIGN_TOPIC = 'persistent://pulsar/system/transaction_coordinator_assign';

/**
 * Talks to the transaction coordinators: opens transactions round-robin over them, and routes each
 * later step of a transaction to the coordinator that opened it (its id's most significant bits).
 */
export class CoordinatorClient {
  private coordinators?: Promise<number>;
  private readonly connections = new Map<number, Promise<Connection>>();
  private next = 0;

  constructor(private readonly client: ClientContext) {}

  async newTransaction(timeoutMs: number): Promise<TxnId> {
    const count = await this.coordinatorCount();
    const tcId = this.next++ % count;
    const reply = await this.request(tcId, (requestId) => newTxnCommand(requestId, tcId, timeoutMs));
    const response = reply.new_txn_response!;
    return { mostBits: toBigInt(response.txnid_most_bits), leastBits: toBigInt(response.txnid_least_bits) };
  }

  async addPartitions(id: TxnId, partitions: string[]): Promise<void> {
    await this.request(coordinatorOf(id), (requestId) => addPartitionCommand(requestId, id, partitions));
  }

  async addSubscription(id: TxnId, topic: string, subscription: string): Promise<void> {
    await this.request(coordinatorOf(id), (requestId) =>
      addSubscriptionCommand(requestId, id, topic, subscription),
    );
  }

  async end(id: TxnId, action: TxnAction): Promise<void> {
    await this.request(coordinatorOf(id), (requestId) => endTxnCommand(requestId, id, action));
  }

  /** One step, retried while the coordinator says it may succeed (still loading, connection lost). */
  private request(tcId: number, build: (requestId: number) => BaseCommand): Promise<BaseCommand> {
    return retry(
      async () => {
        const connection = await this.connectionFor(tcId);
        const requestId = connection.newRequestId();
        const reply = await connection.request(build(requestId), requestId);
        const error = replyError(reply);
        if (error) throw new TransactionError(error.message || 'coordinator refused', error);
        return reply;
      },
      { ...this.client.backoff, timeoutMs: this.client.operationTimeoutMs },
    );
  }

  private coordinatorCount(): Promise<number> {
    this.coordinators ??= this.client.lookup.getPartitionedTopicMetadata(TC_ASSIGN_TOPIC).then((count) => {
      if (count > 0) return count;
      this.coordinators = undefined;
      throw new TransactionError(
        `no transaction coordinator: ${TC_ASSIGN_TOPIC} has no partitions ` +
          '(is transactionCoordinatorEnabled=true on the broker?)',
      );
    });
    return this.coordinators;
  }

  private connectionFor(tcId: number): Promise<Connection> {
    const cached = this.connections.get(tcId);
    if (cached) return cached.then((connection) => (connection.isOpen ? connection : this.reconnect(tcId)));
    return this.reconnect(tcId);
  }

  private reconnect(tcId: number): Promise<Connection> {
    const connecting = (async () => {
      const connection = await this.client.lookup.connectionFor(partitionTopicName(TC_ASSIGN_TOPIC, tcId));
      const requestId = connection.newRequestId();
      const reply = await connection.request(tcConnectCommand(requestId, tcId), requestId);
      const error = replyError(reply);
      if (error) throw new TransactionError(`coordinator ${tcId} refused the client`, error);
      return connection;
    })();
    this.connections.set(tcId, connecting);
    connecting.catch(() => this.connections.delete(tcId));
    return connecting;
  }
}

function coordinatorOf(id: TxnId): number {
  return Number(id.mostBits);
}
