import { InvalidArgumentError } from '../errors';
import { MessageIdData, MessageIdDataType, has, toBigInt, toLong } from './protocol';

const INT64_MAX = (1n << 63n) - 1n;
const JAVA_FORM = /^(-?\d+):(-?\d+)(?::(-1|\d+))?(?::(-1|\d+))?$/;
const OFFICIAL_FORM = /^\((-?\d+),(-?\d+),(-1|\d+),(-1|\d+)\)$/;

/**
 * Where a message sits: ledger and entry (signed 64-bit, always bigint), partition (-1 when the topic
 * is not partitioned) and position inside a batch (-1 when not batched).
 */
export class MessageId {
  constructor(
    readonly ledgerId: bigint,
    readonly entryId: bigint,
    readonly partition: number = -1,
    readonly batchIndex: number = -1,
    readonly batchSize: number = 0,
    /** A chunked message: the id of its first chunk (the id itself is its last chunk's, as in Java). */
    readonly firstChunkId?: MessageId,
  ) {}

  static earliest(): MessageId {
    return new MessageId(-1n, -1n);
  }

  static latest(): MessageId {
    return new MessageId(INT64_MAX, INT64_MAX);
  }

  /** The protobuf MessageIdData bytes, as the official clients' serialize()/toByteArray() write them. */
  serialize(): Buffer {
    const bytes = MessageIdDataType.encode(
      toMessageIdData(this, true) as unknown as import('protobufjs').Message,
    ).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  static deserialize(bytes: Uint8Array): MessageId {
    let data: MessageIdData;
    try {
      data = MessageIdDataType.decode(bytes) as unknown as MessageIdData;
    } catch (error) {
      throw new InvalidArgumentError(`not a serialized message id: ${(error as Error).message}`);
    }
    return fromMessageIdData(data);
  }

  /** An opaque, URL-safe string for REST APIs and checkpoints (base64url of {@link serialize}). */
  toOpaqueString(): string {
    return this.serialize().toString('base64url');
  }

  static fromOpaqueString(text: string): MessageId {
    if (!/^[A-Za-z0-9_-]+$/.test(text))
      throw new InvalidArgumentError(`not an opaque message id: ${JSON.stringify(text)}`);
    return MessageId.deserialize(Buffer.from(text, 'base64url'));
  }

  /** The official Node (C++) client's text form, `(ledger,entry,partition,batchIndex)`. */
  toString(): string {
    return `(${this.ledgerId},${this.entryId},${this.partition},${this.batchIndex})`;
  }

  /**
   * The Java client's text form, `ledger:entry:partition[:batchIndex]`: what Java writes as a dead letter's
   * ORIGIN_MESSAGE_ID, and what Gyre stores as a message's position text.
   */
  toJavaString(): string {
    const base = `${this.ledgerId}:${this.entryId}:${this.partition}`;
    return this.batchIndex >= 0 ? `${base}:${this.batchIndex}` : base;
  }

  /**
   * Reads either text form: the Java one (`ledger:entry[:partition[:batchIndex]]`, as stored in
   * ORIGIN_MESSAGE_ID and by Gyre before) or the official client's `(ledger,entry,partition,batchIndex)`.
   */
  static fromString(text: string): MessageId {
    const match = JAVA_FORM.exec(text.trim()) ?? OFFICIAL_FORM.exec(text.trim());
    if (!match) throw new InvalidArgumentError(`not a message id: ${JSON.stringify(text)}`);
    const [, ledger, entry, partition, batchIndex] = match;
    return new MessageId(
      BigInt(ledger),
      BigInt(entry),
      partition === undefined ? -1 : Number(partition),
      batchIndex === undefined ? -1 : Number(batchIndex),
    );
  }

  /** Orders ids of one topic-partition: ledger, then entry, then batch index (non-batched first). */
  compareTo(other: MessageId): number {
    if (this.ledgerId !== other.ledgerId) return this.ledgerId < other.ledgerId ? -1 : 1;
    if (this.entryId !== other.entryId) return this.entryId < other.entryId ? -1 : 1;
    if (this.batchIndex !== other.batchIndex) return this.batchIndex < other.batchIndex ? -1 : 1;
    return 0;
  }

  equals(other: MessageId): boolean {
    return this.compareTo(other) === 0 && this.partition === other.partition;
  }

  /** The id of the entry (batch) holding this message. */
  entryKey(): string {
    return `${this.ledgerId}:${this.entryId}`;
  }
}

export function toMessageIdData(id: MessageId, withBatch = true): MessageIdData {
  const data: MessageIdData = { ledgerId: toLong(id.ledgerId), entryId: toLong(id.entryId) };
  if (id.partition >= 0) data.partition = id.partition;
  if (withBatch && id.batchIndex !== -1) data.batch_index = id.batchIndex;
  if (withBatch && id.batchSize > 0) data.batch_size = id.batchSize;
  if (withBatch && id.firstChunkId) data.first_chunk_message_id = toMessageIdData(id.firstChunkId, false);
  return data;
}

export function fromMessageIdData(
  data: MessageIdData,
  partition?: number,
  batchIndex?: number,
  batchSize?: number,
): MessageId {
  return new MessageId(
    toBigInt(data.ledgerId),
    toBigInt(data.entryId),
    partition ?? (has(data, 'partition') ? (data.partition as number) : -1),
    batchIndex ?? (has(data, 'batch_index') ? (data.batch_index as number) : -1),
    batchSize ?? (has(data, 'batch_size') ? (data.batch_size as number) : 0),
    data.first_chunk_message_id ? fromMessageIdData(data.first_chunk_message_id) : undefined,
  );
}
