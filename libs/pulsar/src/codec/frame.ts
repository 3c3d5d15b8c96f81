import { ProtocolError } from '../errors';
import type { PayloadWriter } from './batch';
import { crc32c } from './crc32c';
import {
  BaseCommand,
  BrokerEntryMetadataType,
  MessageMetadata,
  MessageMetadataType,
  Uint64,
  decodeBaseCommand,
  has,
  toBigInt,
  encodeBaseCommand,
} from './protocol';

export const DEFAULT_MAX_MESSAGE_SIZE = 5 * 1024 * 1024;
/** Room for the command and sizes around a maximum-size message (the Go client allows the same). */
export const FRAME_PADDING = 10 * 1024;
const MAGIC_CRC32C = 0x0e01;
const MAGIC_BROKER_ENTRY_METADATA = 0x0e02;

/** A simple command: [totalSize][commandSize][BaseCommand]. */
export function encodeCommand(command: BaseCommand): Buffer {
  const body = encodeBaseCommand(command);
  const frame = Buffer.allocUnsafe(8 + body.length);
  frame.writeUInt32BE(4 + body.length, 0);
  frame.writeUInt32BE(body.length, 4);
  frame.set(body, 8);
  return frame;
}

/**
 * A payload command (SEND): the command, then magic 0x0e01, a CRC-32C over everything from
 * metadataSize to the end of the payload, metadataSize, MessageMetadata and the payload. The payload is
 * written into the one frame buffer (a writer lets a batch go there without an intermediate copy).
 */
export function encodePayloadCommand(
  command: BaseCommand,
  metadata: MessageMetadata | Uint8Array,
  payload: Uint8Array | PayloadWriter,
): Buffer {
  const body = encodeBaseCommand(command);
  const meta = metadata instanceof Uint8Array ? metadata : encodeMetadata(metadata);
  const payloadSize = payload instanceof Uint8Array ? payload.length : payload.size;
  const checksummedStart = 8 + body.length + 6;
  const payloadStart = checksummedStart + 4 + meta.length;
  const total = payloadStart + payloadSize;
  const frame = Buffer.allocUnsafe(total);
  frame.writeUInt32BE(total - 4, 0);
  frame.writeUInt32BE(body.length, 4);
  frame.set(body, 8);
  frame.writeUInt16BE(MAGIC_CRC32C, 8 + body.length);
  frame.writeUInt32BE(meta.length, checksummedStart);
  frame.set(meta, checksummedStart + 4);
  if (payload instanceof Uint8Array) frame.set(payload, payloadStart);
  else payload.writeTo(frame, payloadStart);
  frame.writeUInt32BE(crc32c(frame, 0, checksummedStart, total), 8 + body.length + 2);
  return frame;
}

export function encodeMetadata(metadata: MessageMetadata): Uint8Array {
  return MessageMetadataType.encode(metadata as unknown as import('protobufjs').Message).finish();
}

export interface DecodedFrame {
  command: BaseCommand;
  /** Everything after the command of a payload frame (MESSAGE), parsed by {@link parsePayload}. */
  payloadSection?: Buffer;
}

/** Splits one frame (the bytes after totalSize) into its command and optional payload section. */
export function decodeFrame(frame: Buffer): DecodedFrame {
  if (frame.length < 4)
    throw new ProtocolError('PROTOCOL_ERROR', `frame of ${frame.length} bytes has no command size`);
  const commandSize = frame.readUInt32BE(0);
  if (commandSize > frame.length - 4) {
    throw new ProtocolError(
      'PROTOCOL_ERROR',
      `command size ${commandSize} exceeds frame size ${frame.length}`,
    );
  }
  let command: BaseCommand;
  try {
    command = decodeBaseCommand(frame.subarray(4, 4 + commandSize));
  } catch (error) {
    throw new ProtocolError('PROTOCOL_ERROR', 'undecodable BaseCommand', error);
  }
  const rest = 4 + commandSize;
  return rest < frame.length ? { command, payloadSection: frame.subarray(rest) } : { command };
}

export interface ParsedPayload {
  metadata: MessageMetadata;
  payload: Buffer;
  brokerTimestamp?: bigint;
  brokerIndex?: bigint;
}

/**
 * Parses [0x0e02 broker entry metadata]? [0x0e01 checksum]? metadataSize metadata payload.
 * Throws ProtocolError CHECKSUM_MISMATCH when the checksum is present and wrong.
 */
export function parsePayload(section: Buffer): ParsedPayload {
  let offset = 0;
  const result: Partial<ParsedPayload> = {};
  try {
    if (section.length >= 2 && section.readUInt16BE(0) === MAGIC_BROKER_ENTRY_METADATA) {
      const size = section.readUInt32BE(2);
      const entry = BrokerEntryMetadataType.decode(section.subarray(6, 6 + size)) as unknown as {
        broker_timestamp?: Uint64;
        index?: Uint64;
      };
      if (has(entry, 'broker_timestamp')) result.brokerTimestamp = toBigInt(entry.broker_timestamp);
      if (has(entry, 'index')) result.brokerIndex = toBigInt(entry.index);
      offset = 6 + size;
    }
    if (section.length >= offset + 6 && section.readUInt16BE(offset) === MAGIC_CRC32C) {
      const expected = section.readUInt32BE(offset + 2);
      offset += 6;
      const actual = crc32c(section, 0, offset);
      if (actual !== expected) {
        throw new ProtocolError(
          'CHECKSUM_MISMATCH',
          `checksum mismatch: expected ${expected.toString(16)}, computed ${actual.toString(16)}`,
        );
      }
    }
    const metadataSize = section.readUInt32BE(offset);
    offset += 4;
    if (offset + metadataSize > section.length)
      throw new RangeError(`metadata size ${metadataSize} exceeds the frame`);
    result.metadata = MessageMetadataType.decode(
      section.subarray(offset, offset + metadataSize),
    ) as unknown as MessageMetadata;
    result.payload = section.subarray(offset + metadataSize);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('PROTOCOL_ERROR', 'malformed message payload', error);
  }
  return result as ParsedPayload;
}

/**
 * Reassembles frames from a TCP byte stream, whatever the chunking, and refuses frames above the
 * maximum size before buffering them.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(public maxFrameSize: number = DEFAULT_MAX_MESSAGE_SIZE + FRAME_PADDING) {}

  /** Returns the complete frames (without their 4-byte totalSize) found so far. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    if (this.buffered < 4) return frames;
    let buffer = this.chunks[0].length >= 4 ? this.chunks[0] : this.peekHead();
    let total = buffer.readUInt32BE(0);
    this.checkSize(total);
    if (this.buffered < 4 + total) return frames;
    if (this.chunks.length > 1) buffer = Buffer.concat(this.chunks, this.buffered);
    let offset = 0;
    while (buffer.length - offset >= 4) {
      total = buffer.readUInt32BE(offset);
      this.checkSize(total);
      if (buffer.length - offset - 4 < total) break;
      frames.push(buffer.subarray(offset + 4, offset + 4 + total));
      offset += 4 + total;
    }
    const rest = buffer.subarray(offset);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frames;
  }

  private peekHead(): Buffer {
    const head = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [head];
    return head;
  }

  private checkSize(total: number): void {
    if (total > this.maxFrameSize) {
      throw new ProtocolError(
        'FRAME_TOO_LARGE',
        `frame of ${total} bytes exceeds the maximum of ${this.maxFrameSize}`,
      );
    }
    if (total < 4)
      throw new ProtocolError('PROTOCOL_ERROR', `frame size ${total} is smaller than a command size field`);
  }
}
