import { MessageId, toMessageIdData } from '../codec/message-id';
import { CommandType, MessageIdData } from '../codec/protocol';
import { Connection } from '../connection/connection';
import { TransactionError } from '../errors';
import { ACK_INDIVIDUAL, toWords } from '../consumer/ack-tracker';
import { Transaction } from './transaction';
import { replyError, txnBits } from './txn-wire';

/**
 * The ids one transactional ack names: each entry once, and for messages of a batch the ack_set with every
 * bit set but theirs (set = still unacked), so the broker holds only those messages in the transaction.
 * Messages of one batch are merged into one id: the broker reads each id of an ack as its own position.
 */
export function transactionalAckIds(ids: readonly MessageId[]): MessageIdData[] {
  const byEntry = new Map<string, { id: MessageId; acked: Set<number> | undefined }>();
  for (const id of ids) {
    const entryKey = `${id.ledgerId}:${id.entryId}`;
    const batched = id.batchIndex >= 0 && id.batchSize > 1;
    const seen = byEntry.get(entryKey);
    if (!seen) byEntry.set(entryKey, { id, acked: batched ? new Set([id.batchIndex]) : undefined });
    // A whole entry acked (not batched) wins over single messages of it.
    else if (!batched) seen.acked = undefined;
    else seen.acked?.add(id.batchIndex);
  }
  return [...byEntry.values()].map(({ id, acked }) => {
    const entry = toMessageIdData(new MessageId(id.ledgerId, id.entryId, id.partition), false);
    if (!acked) return entry;
    const pending = Array.from({ length: id.batchSize }, (_, index) => !acked.has(index));
    return { ...entry, ack_set: toWords(pending), batch_size: id.batchSize };
  });
}

/** The id a transactional ack of one message names (see transactionalAckIds). */
export function transactionalAckId(id: MessageId): MessageIdData {
  return transactionalAckIds([id])[0];
}

/**
 * Registers the subscriptions of a consumer's partitions with `txn` (only those of `topics`, if given) before any
 * ack uses them: a caller that opens its next transaction while the current one commits takes the registration
 * off the ack's path (sendTransactionalAck then finds it done). A partition registered and not acked costs its
 * broker one end-of-transaction call on commit.
 */
export async function registerSubscriptions(
  txn: Transaction,
  subs: readonly { topic: string; subscription: string }[],
  topics?: readonly string[],
): Promise<void> {
  const wanted = topics && new Set(topics);
  await Promise.all(
    subs
      .filter((sub) => !wanted || wanted.has(sub.topic))
      .map((sub) => txn.registerSubscription(sub.topic, sub.subscription)),
  );
}

/**
 * Registers the subscription with the transaction, then acks every id in one command with the txn id and
 * waits for its receipt: one round trip for a group of acks, not one per message.
 */
export async function sendTransactionalAck(
  connectionOf: () => Connection,
  consumerId: number,
  sub: { topic: string; subscription: string },
  ids: readonly MessageId[],
  txn: Transaction,
): Promise<void> {
  if (ids.length === 0) return;
  await txn.registerSubscription(sub.topic, sub.subscription);
  const connection = connectionOf();
  const requestId = connection.newRequestId();
  const reply = await connection.request(
    {
      type: CommandType.ACK,
      ack: {
        consumer_id: consumerId,
        ack_type: ACK_INDIVIDUAL,
        message_id: transactionalAckIds(ids),
        request_id: requestId,
        ...txnBits(txn.id),
      },
    },
    requestId,
  );
  const error = replyError(reply);
  if (error) {
    const named = ids.length === 1 ? ids[0].toString() : `${ids.length} messages`;
    throw new TransactionError(`ack of ${named} in transaction ${txn.toString()} refused`, error);
  }
}
