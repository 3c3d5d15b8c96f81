import { MessageId } from '../codec/message-id';
import { ChunkAssembler, ChunkPolicy, DEFAULT_CHUNK_POLICY } from './chunk-assembler';
import type { ReceivedChunk } from './entry-parser';

let entry = 0n;
function chunk(uuid: string, chunkId: number, count: number, text: string, publishTime = 0): ReceivedChunk {
  return {
    id: new MessageId(7n, entry++, -1),
    metadata: {
      producer_name: 'p',
      sequence_id: 1,
      publish_time: publishTime,
      uuid,
      chunk_id: chunkId,
      num_chunks_from_msg: count,
      total_chunk_msg_size: 0,
    },
    payload: Buffer.from(text),
    redeliveryCount: 0,
  };
}

function assembler(policy: Partial<ChunkPolicy> = {}, clock = { now: 1_000 }): ChunkAssembler {
  return new ChunkAssembler({ ...DEFAULT_CHUNK_POLICY, ...policy }, () => clock.now);
}

describe(ChunkAssembler.name, () => {
  it('joins the chunks of a message in order and names it by its last chunk, carrying the first', () => {
    const chunks = assembler();
    const first = chunk('u', 0, 3, 'ab');
    expect(chunks.add(first).complete).toBeUndefined();
    expect(chunks.add(chunk('u', 1, 3, 'cd')).complete).toBeUndefined();
    const last = chunk('u', 2, 3, 'e');
    const { complete } = chunks.add(last);
    expect(complete?.payload.toString()).toBe('abcde');
    expect(complete?.chunkIds).toHaveLength(3);
    expect(complete?.id.equals(last.id)).toBe(true);
    expect(complete?.id.firstChunkId?.equals(first.id)).toBe(true);
    expect(chunks.size).toBe(0);
  });

  it('keeps interleaved messages apart by uuid', () => {
    const chunks = assembler();
    chunks.add(chunk('a', 0, 2, 'a0'));
    chunks.add(chunk('b', 0, 2, 'b0'));
    expect(chunks.add(chunk('b', 1, 2, 'b1')).complete?.payload.toString()).toBe('b0b1');
    expect(chunks.add(chunk('a', 1, 2, 'a1')).complete?.payload.toString()).toBe('a0a1');
  });

  it('starts a message again when its first chunk entry comes again (a redelivery)', () => {
    const chunks = assembler();
    const zero = chunk('u', 0, 2, 'x');
    chunks.add(zero);
    expect(chunks.add(zero).discarded).toEqual([]);
    expect(chunks.add(chunk('u', 1, 2, 'y')).complete?.chunkIds).toHaveLength(2);
  });

  it('acks the chunks held when another first chunk of the message comes (a producer resent it)', () => {
    const chunks = assembler();
    const stale = chunk('u', 0, 2, 'x');
    chunks.add(stale);
    expect(chunks.add(chunk('u', 0, 2, 'x')).discarded).toEqual([
      { ids: [stale.id], ack: true, reason: 'chunkDuplicate' },
    ]);
    expect(chunks.add(chunk('u', 1, 2, 'y')).complete?.payload.toString()).toBe('xy');
  });

  it('acks a stored copy of a chunk already held, and ignores the very same entry sent again', () => {
    const chunks = assembler();
    chunks.add(chunk('u', 0, 3, 'a'));
    const one = chunk('u', 1, 3, 'b');
    chunks.add(one);
    expect(chunks.add(one).discarded).toEqual([]);
    const copy = chunk('u', 1, 3, 'b');
    expect(chunks.add(copy).discarded).toEqual([{ ids: [copy.id], ack: true, reason: 'chunkDuplicate' }]);
    expect(chunks.add(chunk('u', 2, 3, 'c')).complete?.payload.toString()).toBe('abc');
  });

  it('drops a message whose chunks come with a gap, leaving them unacked until it is past its expiry', () => {
    const clock = { now: 100_000 };
    const chunks = assembler({ expireTimeOfIncompleteChunkedMessageMs: 60_000 }, clock);
    const zero = chunk('u', 0, 3, 'a');
    chunks.add(zero);
    const skipped = chunk('u', 2, 3, 'c', 90_000);
    expect(chunks.add(skipped).discarded).toEqual([
      { ids: [zero.id, skipped.id], ack: false, reason: 'chunkOutOfOrder' },
    ]);
    const old = chunk('v', 1, 2, 'late', 1_000);
    expect(chunks.add(old).discarded).toEqual([{ ids: [old.id], ack: true, reason: 'chunkOutOfOrder' }]);
    expect(chunks.size).toBe(0);
  });

  it('at maxPendingChunkedMessage drops the oldest message, acked only with autoAckOldest', () => {
    for (const autoAck of [false, true]) {
      const chunks = assembler({
        maxPendingChunkedMessage: 2,
        autoAckOldestChunkedMessageOnQueueFull: autoAck,
      });
      const oldest = chunk('a', 0, 2, 'a0');
      chunks.add(oldest);
      chunks.add(chunk('b', 0, 2, 'b0'));
      expect(chunks.add(chunk('c', 0, 2, 'c0')).discarded).toEqual([
        { ids: [oldest.id], ack: autoAck, reason: 'chunkQueueFull' },
      ]);
      expect(chunks.size).toBe(2);
    }
  });

  it('expires, oldest first, the messages incomplete for longer than the policy allows', () => {
    const clock = { now: 0 };
    const chunks = assembler({ expireTimeOfIncompleteChunkedMessageMs: 100 }, clock);
    const old = chunk('old', 0, 2, 'o');
    chunks.add(old);
    clock.now = 50;
    chunks.add(chunk('young', 0, 2, 'y'));
    clock.now = 120;
    expect(chunks.expire()).toEqual([{ ids: [old.id], ack: true, reason: 'chunkExpired' }]);
    expect(chunks.size).toBe(1);
    expect(assembler({ expireTimeOfIncompleteChunkedMessageMs: 0 }, clock).expire()).toEqual([]);
  });
});
