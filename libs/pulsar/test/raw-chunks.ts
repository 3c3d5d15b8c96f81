import { Client } from '../src';
import type { ClientContext } from '../src/client-context';
import { encodePayloadCommand, encodeMetadata } from '../src/codec/frame';
import { BaseCommand, CommandType } from '../src/codec/protocol';
import { Connection } from '../src/connection/connection';

/**
 * A producer on the wire that sends chunks one by one, in an order the test chooses (interleaved,
 * incomplete): what two chunking producers racing, or a producer dying mid-message, leave in a topic.
 */
export class RawChunkProducer {
  private receipts = new Map<number, (ok: boolean) => void>();
  private sequenceId = 0;

  private constructor(
    private readonly connection: Connection,
    private readonly producerId: number,
    readonly producerName: string,
  ) {}

  static async create(client: Client, topic: string): Promise<RawChunkProducer> {
    // The client's own lookup and connection pool: the test needs a registered producer, not a new client.
    const context = (client as unknown as { context: ClientContext }).context;
    const connection = await context.lookup.connectionFor(topic);
    const producerId = context.newProducerId();
    const requestId = connection.newRequestId();
    const reply = await connection.request(
      { type: CommandType.PRODUCER, producer: { topic, producer_id: producerId, request_id: requestId } },
      requestId,
    );
    const raw = new RawChunkProducer(connection, producerId, reply.producer_success!.producer_name);
    connection.registerProducer(producerId, {
      onSendReceipt: (receipt) => raw.settle(Number(receipt.sequence_id), true),
      onSendError: (error) => raw.settle(Number(error.sequence_id), false),
      onDisconnected: () => undefined,
    });
    return raw;
  }

  /** A message of `parts.length` chunks, to send with {@link sendChunk}; its uuid and sequence id. */
  message(uuid: string, parts: Buffer[]): { uuid: string; sequenceId: number; parts: Buffer[] } {
    return { uuid, sequenceId: this.sequenceId++, parts };
  }

  /** Sends chunk `chunkId` of `message` and waits for the broker to store it. */
  async sendChunk(
    message: { uuid: string; sequenceId: number; parts: Buffer[] },
    chunkId: number,
  ): Promise<void> {
    const total = message.parts.reduce((sum, part) => sum + part.length, 0);
    const metadata = encodeMetadata({
      producer_name: this.producerName,
      sequence_id: message.sequenceId,
      publish_time: Date.now(),
      uuid: message.uuid,
      chunk_id: chunkId,
      num_chunks_from_msg: message.parts.length,
      total_chunk_msg_size: total,
    });
    const send: BaseCommand = {
      type: CommandType.SEND,
      send: {
        producer_id: this.producerId,
        sequence_id: message.sequenceId,
        num_messages: 1,
        is_chunk: true,
      },
    };
    const stored = new Promise<boolean>((resolve) => this.receipts.set(message.sequenceId, resolve));
    this.connection.write(encodePayloadCommand(send, metadata, message.parts[chunkId]));
    if (!(await stored)) throw new Error(`chunk ${chunkId} of ${message.uuid} was refused`);
  }

  async close(): Promise<void> {
    this.connection.unregisterProducer(this.producerId);
    const requestId = this.connection.newRequestId();
    await this.connection.request(
      {
        type: CommandType.CLOSE_PRODUCER,
        close_producer: { producer_id: this.producerId, request_id: requestId },
      },
      requestId,
    );
  }

  private settle(sequenceId: number, ok: boolean): void {
    this.receipts.get(sequenceId)?.(ok);
    this.receipts.delete(sequenceId);
  }
}
