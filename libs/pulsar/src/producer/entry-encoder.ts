import { PayloadWriter, batchWriter, encodeBatch, toKeyValues } from '../codec/batch';
import { compress } from '../codec/compression';
import { encodeMetadata, encodePayloadCommand } from '../codec/frame';
import { CommandType, CompressionCode, MessageMetadata, toLong } from '../codec/protocol';
import { TxnId, txnBits } from '../transaction/txn-wire';
import { ProducerMessage } from './options';

/** One message accepted by send(), waiting for its receipt. */
export interface QueuedMessage {
  message: ProducerMessage;
  sequenceId: number;
  /** Set for a send in a transaction: such a message travels alone, never batched with others. */
  txn?: TxnId;
  resolve(id: import('../codec/message-id').MessageId): void;
  reject(error: Error): void;
}

export interface EncodedEntry {
  frame: Buffer;
  /** Metadata plus (compressed) payload: what the broker's max message size applies to. */
  size: number;
}

export interface EntryContext {
  producerId: number;
  producerName: string;
  compression: CompressionCode;
  schemaVersion?: Uint8Array;
}

function deliverAt(message: ProducerMessage, now: number): number | undefined {
  if (message.deliverAt !== undefined) return message.deliverAt;
  if (message.deliverAfter !== undefined && message.deliverAfter > 0) return now + message.deliverAfter;
  return undefined;
}

function frameOf(
  context: EntryContext,
  metadata: MessageMetadata,
  payload: Buffer | PayloadWriter,
  first: number,
  last: number,
  count: number,
  txn?: TxnId,
): EncodedEntry {
  const meta = encodeMetadata(metadata);
  const send = {
    producer_id: context.producerId,
    sequence_id: first,
    num_messages: count,
    highest_sequence_id: last > first ? last : undefined,
    ...(txn ? txnBits(txn) : {}),
  };
  const frame = encodePayloadCommand({ type: CommandType.SEND, send }, meta, payload);
  const payloadSize = Buffer.isBuffer(payload) ? payload.length : payload.size;
  return { frame, size: meta.length + payloadSize };
}

/** A single (non-batched) message: its properties, key and times live in MessageMetadata. */
export function encodeSingle(context: EntryContext, queued: QueuedMessage): EncodedEntry {
  const { metadata, payload } = singleMessageParts(context, queued);
  return frameOf(context, metadata, payload, queued.sequenceId, queued.sequenceId, 1, queued.txn);
}

/** The metadata and (compressed) payload of one unbatched message, before any chunking. */
export function singleMessageParts(
  context: EntryContext,
  queued: QueuedMessage,
): { metadata: MessageMetadata; payload: Buffer } {
  const now = Date.now();
  const { message } = queued;
  const payload = compress(context.compression, message.data);
  const metadata: MessageMetadata = {
    producer_name: context.producerName,
    sequence_id: queued.sequenceId,
    publish_time: now,
    properties: toKeyValues(message.properties),
    partition_key: message.partitionKey,
    ordering_key: toOrderingKey(message.orderingKey),
    event_time: message.eventTimestamp,
    deliver_at_time: toOptionalLong(deliverAt(message, now)),
    schema_version: context.schemaVersion,
    ...(queued.txn ? txnBits(queued.txn) : {}),
  };
  if (context.compression !== CompressionCode.NONE) {
    metadata.compression = context.compression;
    metadata.uncompressed_size = message.data.length;
  }
  return { metadata, payload };
}

/** A batch: per-message metadata in SingleMessageMetadata, the whole payload compressed at once. */
export function encodeBatchEntry(context: EntryContext, batch: readonly QueuedMessage[]): EncodedEntry {
  const records = batch.map(({ message, sequenceId }) => ({
    metadata: {
      payload_size: message.data.length,
      properties: toKeyValues(message.properties),
      partition_key: message.partitionKey,
      ordering_key: toOrderingKey(message.orderingKey),
      event_time: message.eventTimestamp,
      sequence_id: sequenceId,
    },
    payload: message.data,
  }));
  const first = batch[0].sequenceId;
  const last = batch[batch.length - 1].sequenceId;
  const metadata: MessageMetadata = {
    producer_name: context.producerName,
    sequence_id: first,
    publish_time: Date.now(),
    partition_key: batch[0].message.partitionKey,
    // Key_Shared dispatches a whole entry by its ordering key (else partition key).
    ordering_key: toOrderingKey(batch[0].message.orderingKey),
    num_messages_in_batch: batch.length,
    highest_sequence_id: last,
    schema_version: context.schemaVersion,
  };
  if (context.compression === CompressionCode.NONE) {
    // Uncompressed: the records go straight into the frame.
    return frameOf(context, metadata, batchWriter(records), first, last, batch.length);
  }
  const raw = encodeBatch(records);
  metadata.compression = context.compression;
  metadata.uncompressed_size = raw.length;
  return frameOf(context, metadata, compress(context.compression, raw), first, last, batch.length);
}

function toOptionalLong(value: number | undefined): ReturnType<typeof toLong> | undefined {
  return value === undefined ? undefined : toLong(BigInt(Math.trunc(value)), false);
}

function toOrderingKey(key: string | undefined): Buffer | undefined {
  return key === undefined ? undefined : Buffer.from(key);
}
