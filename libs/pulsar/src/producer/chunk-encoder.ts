import { encodeMetadata, encodePayloadCommand } from '../codec/frame';
import { CommandType, MessageMetadata } from '../codec/protocol';
import { txnBits } from '../transaction/txn-wire';
import { EncodedEntry, EntryContext, QueuedMessage, singleMessageParts } from './entry-encoder';

/**
 * One message as the entries the broker accepts: a single entry when it fits `maxMessageSize`, else
 * chunks of its (compressed) payload. Every chunk carries the message's metadata plus uuid, chunk_id,
 * num_chunks_from_msg and total_chunk_msg_size, and the message's one sequence id (the broker deduplicates
 * on the last chunk only), as the Java client's chunking (PIP-37).
 */
export function encodeChunked(
  context: EntryContext,
  queued: QueuedMessage,
  maxMessageSize: number,
): EncodedEntry[] {
  const { metadata, payload } = singleMessageParts(context, queued);
  const plainSize = encodeMetadata(metadata).length + payload.length;
  if (plainSize <= maxMessageSize) return [entryOf(context, queued, metadata, payload, false)];
  const uuid = `${context.producerName}-${queued.sequenceId}`;
  const chunkSize = maxMessageSize - chunkMetadataBound(metadata, uuid, payload.length);
  if (chunkSize <= 0) throw new RangeError(`max message size ${maxMessageSize} leaves no room for a chunk`);
  const count = Math.ceil(payload.length / chunkSize);
  return Array.from({ length: count }, (_, chunkId) => {
    const chunkMetadata: MessageMetadata = {
      ...metadata,
      uuid,
      chunk_id: chunkId,
      num_chunks_from_msg: count,
      total_chunk_msg_size: payload.length,
    };
    const part = payload.subarray(chunkId * chunkSize, Math.min(payload.length, (chunkId + 1) * chunkSize));
    return entryOf(context, queued, chunkMetadata, part, true);
  });
}

/** The metadata's encoded size with the chunk fields at their widest values: the room a chunk cannot use. */
function chunkMetadataBound(metadata: MessageMetadata, uuid: string, total: number): number {
  return encodeMetadata({
    ...metadata,
    uuid,
    chunk_id: total,
    num_chunks_from_msg: total,
    total_chunk_msg_size: total,
  }).length;
}

function entryOf(
  context: EntryContext,
  queued: QueuedMessage,
  metadata: MessageMetadata,
  payload: Buffer,
  isChunk: boolean,
): EncodedEntry {
  const meta = encodeMetadata(metadata);
  const send = {
    producer_id: context.producerId,
    sequence_id: queued.sequenceId,
    num_messages: 1,
    ...(isChunk ? { is_chunk: true } : {}),
    ...(queued.txn ? txnBits(queued.txn) : {}),
  };
  const frame = encodePayloadCommand({ type: CommandType.SEND, send }, meta, payload);
  return { frame, size: meta.length + payload.length };
}
