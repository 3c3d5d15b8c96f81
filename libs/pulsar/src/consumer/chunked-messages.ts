import { MessageId } from '../codec/message-id';
import { PulsarClientError } from '../errors';
import { ChunkAssembler, ChunkPolicy, DiscardedChunks } from './chunk-assembler';
import { ReceivedChunk, chunkedMessageBody, unbatchedMessage } from './entry-parser';
import { Message } from './message';

export interface ChunkedMessagesOwner {
  topic: string;
  /** Acks these chunk entries (grouped with the consumer's other acks). */
  ackChunks(ids: MessageId[]): void;
  discarded(reason: DiscardedChunks['reason'] | 'corrupt', error?: Error): void;
}

/**
 * A partition consumer's chunked messages: reassembly, the chunk ids behind each message handed out (an
 * ack or a redelivery of the message covers every chunk) and the expiry of incomplete ones.
 */
export class ChunkedMessages {
  private readonly assembler: ChunkAssembler;
  /** Every chunk id of a message handed out, by its id's entry key, until it is acked. */
  private readonly chunkIds = new Map<string, MessageId[]>();
  private expiryTimer?: NodeJS.Timeout;

  constructor(
    private readonly policy: ChunkPolicy,
    private readonly owner: ChunkedMessagesOwner,
  ) {
    this.assembler = new ChunkAssembler(policy);
  }

  /** A chunk came: returns the whole message once its last chunk is in, else undefined. */
  receive(chunk: ReceivedChunk): Message | undefined {
    const { complete, discarded } = this.assembler.add(chunk);
    this.settle(discarded);
    this.watchExpiry();
    if (!complete) return undefined;
    let data: Buffer;
    try {
      data = chunkedMessageBody(complete.metadata, complete.payload);
      if (complete.payload.length !== (complete.metadata.total_chunk_msg_size ?? complete.payload.length))
        throw new PulsarClientError(
          'PROTOCOL_ERROR',
          `chunked message ${complete.metadata.uuid} has a wrong size`,
        );
    } catch (error) {
      this.owner.ackChunks(complete.chunkIds);
      this.owner.discarded('corrupt', error as Error);
      return undefined;
    }
    this.chunkIds.set(complete.id.entryKey(), complete.chunkIds);
    return unbatchedMessage(complete.metadata, data, this.owner.topic, complete.id, complete.redeliveryCount);
  }

  /**
   * The entry ids behind `id`: every chunk of a chunked message received here, its first and last chunk
   * for a chunked id from elsewhere (e.g. deserialized), else `id` itself.
   */
  entriesOf(id: MessageId): MessageId[] {
    const known = id.firstChunkId || this.chunkIds.size > 0 ? this.chunkIds.get(id.entryKey()) : undefined;
    if (known) return known;
    return id.firstChunkId ? [id.firstChunkId, id] : [id];
  }

  /** The message is acked: its chunk ids are no longer needed. */
  acked(id: MessageId): void {
    if (this.chunkIds.size > 0) this.chunkIds.delete(id.entryKey());
  }

  /** A rewind or reconnect: the broker sends incomplete messages again from their first chunk. */
  reset(): void {
    this.assembler.clear();
    this.stopExpiry();
  }

  close(): void {
    this.reset();
    this.chunkIds.clear();
  }

  private settle(discarded: DiscardedChunks[]): void {
    for (const { ids, ack, reason } of discarded) {
      if (ack) this.owner.ackChunks(ids);
      this.owner.discarded(reason);
    }
  }

  /** Incomplete messages expire even when no chunk comes: checked on a timer while any is pending. */
  private watchExpiry(): void {
    const limit = this.policy.expireTimeOfIncompleteChunkedMessageMs;
    if (this.assembler.size === 0) return this.stopExpiry();
    if (limit <= 0 || this.expiryTimer) return;
    this.expiryTimer = setInterval(
      () => {
        this.settle(this.assembler.expire());
        if (this.assembler.size === 0) this.stopExpiry();
      },
      Math.min(limit, 1000),
    );
    this.expiryTimer.unref();
  }

  private stopExpiry(): void {
    clearInterval(this.expiryTimer);
    this.expiryTimer = undefined;
  }
}
