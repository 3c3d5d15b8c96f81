import { decodeBatch, fromKeyValues } from '../codec/batch';
import { decompress } from '../codec/compression';
import { parsePayload } from '../codec/frame';
import { MessageId } from '../codec/message-id';
import { BaseCommand, CompressionCode, MessageMetadata, has, toBigInt, toNumber } from '../codec/protocol';
import { Message } from './message';

export interface ParsedEntry {
  /** Messages to deliver, already filtered by the broker's ack_set and the start position. */
  messages: Message[];
  /** Messages the entry held: the permits it consumed. */
  entrySize: number;
  /** The entry is one chunk of a chunked message (`messages` is then empty): for the ChunkAssembler. */
  chunk?: ReceivedChunk;
}

/** One chunk as received: its still compressed part of the message's payload. */
export interface ReceivedChunk {
  id: MessageId;
  metadata: MessageMetadata;
  payload: Buffer;
  redeliveryCount: number;
}

export interface EntryFilter {
  /** Drop messages before this id (readers). */
  startMessageId?: MessageId;
  startInclusive?: boolean;
}

/** Is bit `index` set in a little-endian array of 64-bit words (Java BitSet.toLongArray)? */
export function bitIsSet(words: readonly unknown[], index: number): boolean {
  const word = words[index >> 6];
  if (word === undefined) return false;
  return ((toBigInt(word as never) >> BigInt(index & 63)) & 1n) === 1n;
}

/**
 * Turns one MESSAGE frame into messages: checksum, decompression, batch split, ack_set filter; a chunk of a
 * chunked message comes back as `chunk`. Throws PulsarClientError (CHECKSUM_MISMATCH, COMPRESSION_ERROR,
 * PROTOCOL_ERROR).
 */
export function parseEntry(
  command: NonNullable<BaseCommand['message']>,
  section: Buffer,
  topic: string,
  partition: number,
  filter: EntryFilter = {},
): ParsedEntry {
  const { metadata, payload } = parsePayload(section);
  const isBatch = has(metadata, 'num_messages_in_batch');
  const entrySize = isBatch ? (metadata.num_messages_in_batch as number) : 1;
  const redeliveryCount = command.redelivery_count ?? 0;
  if ((metadata.num_chunks_from_msg ?? 0) > 1 && !isBatch) {
    const id = new MessageId(
      toBigInt(command.message_id.ledgerId),
      toBigInt(command.message_id.entryId),
      partition,
    );
    if (!keep(id, filter)) return { messages: [], entrySize };
    return {
      messages: [],
      entrySize,
      chunk: { id, metadata, payload, redeliveryCount },
    };
  }
  const compression = metadata.compression ?? CompressionCode.NONE;
  const body =
    compression === CompressionCode.NONE
      ? payload
      : decompress(compression, payload, metadata.uncompressed_size ?? 0);
  const ledger = toBigInt(command.message_id.ledgerId);
  const entry = toBigInt(command.message_id.entryId);
  const ackSet = command.ack_set ?? [];
  const publishTimestamp = toNumber(metadata.publish_time);
  const producerName = metadata.producer_name;
  const messages: Message[] = [];
  if (!isBatch) {
    const id = new MessageId(ledger, entry, partition);
    if (keep(id, filter))
      messages.push(
        unbatchedMessage(metadata, payload === body ? Buffer.from(body) : body, topic, id, redeliveryCount),
      );
    return { messages, entrySize };
  }
  const records = decodeBatch(body, entrySize);
  const firstSequence = toNumber(metadata.sequence_id);
  records.forEach((record, index) => {
    if (ackSet.length > 0 && !bitIsSet(ackSet, index)) return;
    if (record.metadata.compacted_out) return;
    const id = new MessageId(ledger, entry, partition, index, entrySize);
    if (!keep(id, filter)) return;
    const single = record.metadata;
    messages.push(
      new Message({
        topic,
        publishTimestamp,
        redeliveryCount,
        producerName,
        id,
        data: Buffer.from(record.payload),
        properties: fromKeyValues(single.properties),
        eventTimestamp: toNumber(single.event_time),
        partitionKey: single.partition_key || undefined,
        orderingKey: single.ordering_key?.length ? Buffer.from(single.ordering_key) : undefined,
        sequenceId: has(single, 'sequence_id') ? toNumber(single.sequence_id) : firstSequence + index,
        nullValue: single.null_value === true,
      }),
    );
  });
  return { messages, entrySize };
}

/** The message of an unbatched entry, or of a reassembled chunked one: its fields live in MessageMetadata. */
export function unbatchedMessage(
  metadata: MessageMetadata,
  data: Buffer,
  topic: string,
  id: MessageId,
  redeliveryCount: number,
): Message {
  return new Message({
    topic,
    publishTimestamp: toNumber(metadata.publish_time),
    redeliveryCount,
    producerName: metadata.producer_name,
    id,
    data,
    properties: fromKeyValues(metadata.properties),
    eventTimestamp: toNumber(metadata.event_time),
    partitionKey: metadata.partition_key || undefined,
    orderingKey: metadata.ordering_key?.length ? Buffer.from(metadata.ordering_key) : undefined,
    sequenceId: toNumber(metadata.sequence_id),
    nullValue: metadata.null_value === true,
  });
}

/** A reassembled chunked message's payload, decompressed as a whole (chunks split the compressed bytes). */
export function chunkedMessageBody(metadata: MessageMetadata, payload: Buffer): Buffer {
  const compression = metadata.compression ?? CompressionCode.NONE;
  return compression === CompressionCode.NONE
    ? payload
    : decompress(compression, payload, metadata.uncompressed_size ?? 0);
}

const LATEST_LEDGER = (1n << 63n) - 1n;

function keep(id: MessageId, filter: EntryFilter): boolean {
  const start = filter.startMessageId;
  if (!start || start.ledgerId < 0n || start.ledgerId === LATEST_LEDGER) return true;
  // A start id without batch index names the whole entry.
  const order =
    start.batchIndex < 0 ? new MessageId(id.ledgerId, id.entryId).compareTo(start) : id.compareTo(start);
  return filter.startInclusive ? order >= 0 : order > 0;
}
