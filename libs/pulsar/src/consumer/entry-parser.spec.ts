import { encodeBatch } from '../codec/batch';
import { compress, initCompression } from '../codec/compression';
import { encodePayloadCommand } from '../codec/frame';
import { CommandType, CompressionCode, toLong } from '../codec/protocol';
import { MessageId } from '../codec/message-id';
import { parseEntry } from './entry-parser';

function messageFrame(count: number, compression = CompressionCode.NONE): Buffer {
  const raw = encodeBatch(
    Array.from({ length: count }, (_, i) => ({
      metadata: { payload_size: 0, partition_key: `k${i}` },
      payload: Buffer.from(`m${i}`),
    })),
  );
  const frame = encodePayloadCommand(
    { type: CommandType.SEND, send: { producer_id: 0, sequence_id: 0 } },
    {
      producer_name: 'p',
      sequence_id: 10,
      publish_time: 5,
      num_messages_in_batch: count,
      compression,
      uncompressed_size: raw.length,
    },
    compress(compression, raw),
  );
  const commandSize = frame.readUInt32BE(4);
  return frame.subarray(8 + commandSize);
}

const command = (ackSet: number[] = []) => ({
  consumer_id: 1,
  message_id: { ledgerId: toLong(4n), entryId: toLong(9n) },
  redelivery_count: 2,
  ack_set: ackSet.map((word) => toLong(BigInt(word), false)),
});

describe('parseEntry', () => {
  beforeAll(() => initCompression());

  it('splits a compressed batch into messages with batch ids, keys and sequence ids', () => {
    const { messages, entrySize } = parseEntry(command(), messageFrame(3, CompressionCode.ZSTD), 't', 1);
    expect(entrySize).toBe(3);
    expect(
      messages.map((m) => [
        m.getData().toString(),
        m.getPartitionKey(),
        m.getSequenceId(),
        m.getRedeliveryCount(),
      ]),
    ).toEqual([
      ['m0', 'k0', 10, 2],
      ['m1', 'k1', 11, 2],
      ['m2', 'k2', 12, 2],
    ]);
    expect(messages[2].getMessageId().equals(new MessageId(4n, 9n, 1, 2, 3))).toBe(true);
  });

  it('skips messages whose ack_set bit is clear (already acknowledged)', () => {
    const { messages } = parseEntry(command([0b100]), messageFrame(3), 't', -1);
    expect(messages.map((m) => m.getData().toString())).toEqual(['m2']);
  });

  it('drops messages before an exclusive start position inside the batch', () => {
    const start = new MessageId(4n, 9n, -1, 0, 3);
    const { messages } = parseEntry(command(), messageFrame(3), 't', -1, { startMessageId: start });
    expect(messages.map((m) => m.getData().toString())).toEqual(['m1', 'm2']);
  });
});
