import { BrokerError, TimeoutError } from '../errors';
import { BaseCommand, CommandType, ServerError, toNumber } from '../codec/protocol';

interface PendingRequest {
  resolve(command: BaseCommand): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/** The reply fields that carry a `request_id`, in the order they are looked for. */
const REQUEST_ID_FIELDS = [
  'success',
  'error',
  'producer_success',
  'lookup_response',
  'partition_metadata_response',
  'get_last_message_id_response',
  'get_topics_of_namespace_response',
  'ack_response',
  'tc_client_connect_response',
  'new_txn_response',
  'add_partition_to_txn_response',
  'add_subscription_to_txn_response',
  'end_txn_response',
] as const;

/** A connection's requests awaiting their reply, by request id, each with its own timeout. */
export class PendingRequests {
  private readonly pending = new Map<number, PendingRequest>();

  /** Registers `requestId` and resolves with its reply (ERROR rejects as BrokerError). */
  add(command: BaseCommand, requestId: number, timeoutMs: number): Promise<BaseCommand> {
    return new Promise((resolve, reject) => {
      const entry: PendingRequest = { resolve, reject };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(requestId);
          reject(
            new TimeoutError(
              'TIMEOUT',
              `${CommandType[command.type]} request ${requestId} timed out after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
      }
      this.pending.set(requestId, entry);
    });
  }

  /** Routes a reply to its request; replies to unknown (timed-out) requests are dropped. */
  resolve(command: BaseCommand): void {
    for (const field of REQUEST_ID_FIELDS) {
      const body = command[field];
      if (!body) continue;
      const requestId = toNumber(body.request_id);
      const entry = this.pending.get(requestId);
      if (!entry) return;
      // A producer waiting for exclusive access gets producer_ready=false first: keep waiting.
      if (field === 'producer_success' && command.producer_success?.producer_ready === false) return;
      this.pending.delete(requestId);
      clearTimeout(entry.timer);
      if (field === 'error')
        entry.reject(
          new BrokerError(
            ServerError[command.error!.error] ?? String(command.error!.error),
            command.error!.message,
          ),
        );
      else entry.resolve(command);
      return;
    }
  }

  /** Fails every pending request with `error`. */
  failAll(error: Error): void {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.pending.clear();
  }
}
