import { MessageId, toMessageIdData } from '../codec/message-id';
import { CommandType, MessageIdData } from '../codec/protocol';
import { Connection } from '../connection/connection';
import { TransactionError } from '../errors';
import { ACK_INDIVIDUAL, toWords } from '../consumer/ack-tracker';
import { Transaction } from './transaction';
import { replyError, txnBits } from './txn-wire';

/**
 * The id a transactional ack names: the entry, and for a message of a batch the ack_set with every bit
 * set but its own (set = still unacked), so the broker holds only that message in the transaction.
 */
export function transactionalAckId(id: MessageId): MessageIdData {
  const entry = toMessageIdData(new MessageId(id.ledgerId, id.entryId, id.partition), false);
  if (id.batchIndex < 0 || id.batchSize <= 1) return entry;
  const pending = Array.from({ length: id.batchSize }, (_, index) => index !== id.batchIndex);
  return { ...entry, ack_set: toWords(pending), batch_size: id.batchSize };
}

/** Registers the subscription with the transaction, then acks with the txn id and waits for the receipt. */
export async function sendTransactionalAck(
  connectionOf: () => Connection,
  consumerId: number,
  sub: { topic: string; subscription: string },
  id: MessageId,
  txn: Transaction,
): Promise<void> {
  await txn.registerSubscription(sub.topic, sub.subscription);
  const connection = connectionOf();
  const requestId = connection.newRequestId();
  const reply = await connection.request(
    {
      type: CommandType.ACK,
      ack: {
        consumer_id: consumerId,
        ack_type: ACK_INDIVIDUAL,
        message_id: [transactionalAckId(id)],
        request_id: requestId,
        ...txnBits(txn.id),
      },
    },
    requestId,
  );
  const error = replyError(reply);
  if (error)
    throw new TransactionError(`ack of ${id.toString()} in transaction ${txn.toString()} refused`, error);
}
