import { MessageId } from '../codec/message-id';
import { MessageMetadata, toNumber } from '../codec/protocol';
import type { ReceivedChunk } from './entry-parser';

/** How a consumer reassembles chunked messages (names and defaults of the official clients). */
export interface ChunkPolicy {
  /** Messages being reassembled at once; 10 by default; 0 = no limit. */
  maxPendingChunkedMessage: number;
  /** When that limit is hit: ack the oldest incomplete message's chunks (true) or leave them unacked. */
  autoAckOldestChunkedMessageOnQueueFull: boolean;
  /** An incomplete message older than this (since its first chunk came) is dropped and acked; 0 = never. */
  expireTimeOfIncompleteChunkedMessageMs: number;
}

export const DEFAULT_CHUNK_POLICY: ChunkPolicy = {
  maxPendingChunkedMessage: 10,
  autoAckOldestChunkedMessageOnQueueFull: false,
  expireTimeOfIncompleteChunkedMessageMs: 60_000,
};

/** A whole message: its payload (still compressed as the producer sent it) and every chunk's id. */
export interface AssembledMessage {
  metadata: MessageMetadata;
  payload: Buffer;
  chunkIds: MessageId[];
  /** Its last chunk's id carrying the first chunk's: the id the application sees. */
  id: MessageId;
  redeliveryCount: number;
}

/** Chunks dropped: acked (the message can never be whole) or left unacked for a later redelivery. */
export interface DiscardedChunks {
  ids: MessageId[];
  ack: boolean;
  reason: 'chunkQueueFull' | 'chunkExpired' | 'chunkOutOfOrder' | 'chunkDuplicate';
}

export interface ChunkOutcome {
  complete?: AssembledMessage;
  discarded: DiscardedChunks[];
}

interface Pending {
  uuid: string;
  startedAt: number;
  nextChunkId: number;
  parts: Buffer[];
  ids: MessageId[];
}

/**
 * Reassembles chunked messages by uuid, in chunk order, as PIP-37 consumers do. Chunks of several
 * producers may interleave; a chunk 0 for a uuid in progress (a redelivery) starts it again; a chunk seen
 * already is a duplicate (a producer's resend) and is acked; any other gap drops the message.
 */
export class ChunkAssembler {
  /** Insertion order = age: the first entry is the oldest. */
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly policy: ChunkPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(chunk: ReceivedChunk): ChunkOutcome {
    const discarded = this.expire();
    const { metadata } = chunk;
    const uuid = metadata.uuid ?? '';
    const chunkId = metadata.chunk_id ?? 0;
    const count = metadata.num_chunks_from_msg ?? 1;
    let message = this.pending.get(uuid);
    if (chunkId === 0) {
      if (message) {
        // The same entry: a redelivery from the start. Another one: the producer sent the message again
        // (a resend after reconnecting), and the chunks held are a stale copy, acked so they do not linger.
        this.pending.delete(uuid);
        if (!message.ids[0].equals(chunk.id))
          discarded.push({ ids: message.ids, ack: true, reason: 'chunkDuplicate' });
      } else discarded.push(...this.makeRoom());
      message = { uuid, startedAt: this.now(), nextChunkId: 0, parts: [], ids: [] };
      this.pending.set(uuid, message);
    } else if (message && chunkId < message.nextChunkId) {
      // A copy stored by a producer's resend is acked; the very entry held here again is just dropped.
      if (!message.ids[chunkId].equals(chunk.id))
        discarded.push({ ids: [chunk.id], ack: true, reason: 'chunkDuplicate' });
      return { discarded };
    } else if (!message || chunkId !== message.nextChunkId) {
      // Its first chunk was missed (acked before, or dropped here): as the Java client, the chunks are
      // acked once the message is past its expiry, else left unacked for a redelivery from the start.
      if (message) this.pending.delete(uuid);
      const ids = [...(message?.ids ?? []), chunk.id];
      discarded.push({ ids, ack: this.pastExpiry(metadata), reason: 'chunkOutOfOrder' });
      return { discarded };
    }
    message.parts.push(chunk.payload);
    message.ids.push(chunk.id);
    message.nextChunkId++;
    if (chunkId < count - 1) return { discarded };
    this.pending.delete(uuid);
    const first = message.ids[0];
    const last = chunk.id;
    return {
      discarded,
      complete: {
        metadata,
        payload: Buffer.concat(message.parts),
        chunkIds: message.ids,
        id: new MessageId(last.ledgerId, last.entryId, last.partition, -1, 0, first),
        redeliveryCount: chunk.redeliveryCount,
      },
    };
  }

  /** Drops (and acks) the messages incomplete for longer than the policy allows. */
  expire(): DiscardedChunks[] {
    const limit = this.policy.expireTimeOfIncompleteChunkedMessageMs;
    if (limit <= 0) return [];
    const deadline = this.now() - limit;
    const expired: DiscardedChunks[] = [];
    for (const message of this.pending.values()) {
      if (message.startedAt > deadline) break; // oldest first: the rest are younger
      this.pending.delete(message.uuid);
      expired.push({ ids: message.ids, ack: true, reason: 'chunkExpired' });
    }
    return expired;
  }

  private pastExpiry(metadata: MessageMetadata): boolean {
    const limit = this.policy.expireTimeOfIncompleteChunkedMessageMs;
    return limit > 0 && toNumber(metadata.publish_time) + limit < this.now();
  }

  /** Forgets every incomplete message (a rewind or reconnect: the broker sends their chunks again). */
  clear(): void {
    this.pending.clear();
  }

  private makeRoom(): DiscardedChunks[] {
    const max = this.policy.maxPendingChunkedMessage;
    const dropped: DiscardedChunks[] = [];
    while (max > 0 && this.pending.size >= max) {
      const oldest = this.pending.values().next().value as Pending;
      this.pending.delete(oldest.uuid);
      dropped.push({
        ids: oldest.ids,
        ack: this.policy.autoAckOldestChunkedMessageOnQueueFull,
        reason: 'chunkQueueFull',
      });
    }
    return dropped;
  }
}
