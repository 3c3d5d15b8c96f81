import { decodeFrame, parsePayload } from '../codec/frame';
import { CompressionCode } from '../codec/protocol';
import { encodeChunked } from './chunk-encoder';
import type { QueuedMessage } from './entry-encoder';

const context = { producerId: 3, producerName: 'prod', compression: CompressionCode.NONE };

function queued(data: Buffer): QueuedMessage {
  return {
    message: { data, partitionKey: 'k' },
    sequenceId: 42,
    resolve: () => undefined,
    reject: () => undefined,
  };
}

function decoded(frame: Buffer) {
  const { command, payloadSection } = decodeFrame(frame.subarray(4));
  return { command, ...parsePayload(payloadSection!) };
}

describe(encodeChunked.name, () => {
  it('sends a message that fits as one plain entry', () => {
    const [entry, ...rest] = encodeChunked(context, queued(Buffer.from('small')), 1024);
    expect(rest).toEqual([]);
    const { command, metadata, payload } = decoded(entry.frame);
    expect(command.send?.is_chunk).toBeFalsy();
    expect(metadata.num_chunks_from_msg ?? 0).toBe(0);
    expect(payload.toString()).toBe('small');
  });

  it('splits a larger payload into chunks within the max size, one sequence id and uuid for all', () => {
    const data = Buffer.from('x'.repeat(1000) + 'y'.repeat(1000) + 'z'.repeat(500));
    const entries = encodeChunked(context, queued(data), 1024);
    expect(entries.length).toBeGreaterThan(2);
    const parts = entries.map((entry) => {
      expect(entry.size).toBeLessThanOrEqual(1024);
      return decoded(entry.frame);
    });
    parts.forEach(({ command, metadata }, index) => {
      expect(command.send?.is_chunk).toBe(true);
      expect(Number(command.send?.sequence_id)).toBe(42);
      expect(metadata).toMatchObject({
        uuid: 'prod-42',
        chunk_id: index,
        num_chunks_from_msg: entries.length,
        total_chunk_msg_size: data.length,
        partition_key: 'k',
      });
    });
    expect(Buffer.concat(parts.map((part) => part.payload)).equals(data)).toBe(true);
  });
});
