import { BaseCommand, CommandType, ServerError, TxnAction, TxnBits, toLong } from '../codec/protocol';

/** A transaction id: `mostBits` names the coordinator (its partition), `leastBits` the txn within it. */
export interface TxnId {
  readonly mostBits: bigint;
  readonly leastBits: bigint;
}

export function txnBits(id: TxnId): Required<TxnBits> {
  return { txnid_most_bits: toLong(id.mostBits), txnid_least_bits: toLong(id.leastBits) };
}

export function tcConnectCommand(requestId: number, tcId: number): BaseCommand {
  return {
    type: CommandType.TC_CLIENT_CONNECT_REQUEST,
    tc_client_connect_request: { request_id: requestId, tc_id: tcId },
  };
}

/** The broker reads `txn_ttl_seconds` as milliseconds (the Java and Go clients send milliseconds). */
export function newTxnCommand(requestId: number, tcId: number, timeoutMs: number): BaseCommand {
  return {
    type: CommandType.NEW_TXN,
    new_txn: { request_id: requestId, txn_ttl_seconds: timeoutMs, tc_id: tcId },
  };
}

export function addPartitionCommand(requestId: number, id: TxnId, partitions: string[]): BaseCommand {
  return {
    type: CommandType.ADD_PARTITION_TO_TXN,
    add_partition_to_txn: { request_id: requestId, ...txnBits(id), partitions },
  };
}

export function addSubscriptionCommand(
  requestId: number,
  id: TxnId,
  topic: string,
  subscription: string,
): BaseCommand {
  return {
    type: CommandType.ADD_SUBSCRIPTION_TO_TXN,
    add_subscription_to_txn: {
      request_id: requestId,
      ...txnBits(id),
      subscription: [{ topic, subscription }],
    },
  };
}

export function endTxnCommand(requestId: number, id: TxnId, action: TxnAction): BaseCommand {
  return {
    type: CommandType.END_TXN,
    end_txn: { request_id: requestId, ...txnBits(id), txn_action: action },
  };
}

/** The error a coordinator reply carries, by its protocol name, or undefined when it succeeded. */
export function replyError(command: BaseCommand): { serverError: string; message: string } | undefined {
  const reply =
    command.tc_client_connect_response ??
    command.new_txn_response ??
    command.add_partition_to_txn_response ??
    command.add_subscription_to_txn_response ??
    command.end_txn_response ??
    command.ack_response;
  if (!reply || reply.error === undefined || reply.error === null) return undefined;
  // protobufjs puts defaults on the prototype: only an own `error` field was on the wire.
  if (!Object.prototype.hasOwnProperty.call(reply, 'error')) return undefined;
  return { serverError: ServerError[reply.error] ?? String(reply.error), message: reply.message ?? '' };
}
