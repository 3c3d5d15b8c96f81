import { ProtocolError } from '../errors';
import { KeyValue, SingleMessageMetadata, SingleMessageMetadataType } from './protocol';
import { singleMetadataSize, writeSingleMetadata } from './single-message-metadata';

export interface BatchRecord {
  metadata: SingleMessageMetadata;
  payload: Buffer;
}

/** Bytes written straight into a frame being built, so they are copied once. */
export interface PayloadWriter {
  size: number;
  writeTo(target: Buffer, offset: number): void;
}

/** A batch payload: for each message, a 4-byte size, its SingleMessageMetadata, then its bytes. */
export function batchWriter(records: readonly BatchRecord[]): PayloadWriter {
  const metaSizes = records.map((record) => singleMetadataSize(record.metadata, record.payload.length));
  let size = 0;
  for (let i = 0; i < records.length; i++) size += 4 + metaSizes[i] + records[i].payload.length;
  return {
    size,
    writeTo(target, start) {
      let offset = start;
      for (let i = 0; i < records.length; i++) {
        const { metadata, payload } = records[i];
        target.writeUInt32BE(metaSizes[i], offset);
        const end = writeSingleMetadata(metadata, payload.length, target, offset + 4);
        if (end !== offset + 4 + metaSizes[i])
          throw new ProtocolError('PROTOCOL_ERROR', `record ${i}'s metadata is not the size it measured`);
        target.set(payload, end);
        offset = end + payload.length;
      }
    },
  };
}

export function encodeBatch(records: readonly BatchRecord[]): Buffer {
  const writer = batchWriter(records);
  const out = Buffer.allocUnsafe(writer.size);
  writer.writeTo(out, 0);
  return out;
}

/** Splits an (uncompressed) batch payload into its `count` records; malformed input is a ProtocolError. */
export function decodeBatch(payload: Buffer, count: number): BatchRecord[] {
  const records: BatchRecord[] = [];
  let offset = 0;
  try {
    for (let i = 0; i < count; i++) {
      const metaSize = payload.readUInt32BE(offset);
      offset += 4;
      if (offset + metaSize > payload.length) throw new RangeError(`record ${i} metadata overruns the batch`);
      const metadata = SingleMessageMetadataType.decode(
        payload.subarray(offset, offset + metaSize),
      ) as unknown as SingleMessageMetadata;
      offset += metaSize;
      const end = offset + metadata.payload_size;
      if (metadata.payload_size < 0 || end > payload.length)
        throw new RangeError(`record ${i} payload overruns the batch`);
      records.push({ metadata, payload: payload.subarray(offset, end) });
      offset = end;
    }
  } catch (error) {
    throw new ProtocolError('PROTOCOL_ERROR', `malformed batch of ${count} messages`, error);
  }
  return records;
}

export function toKeyValues(properties: Record<string, string> | undefined): KeyValue[] {
  if (!properties) return [];
  return Object.entries(properties).map(([key, value]) => ({ key, value: String(value) }));
}

export function fromKeyValues(pairs: readonly KeyValue[] | undefined): Record<string, string> {
  const properties: Record<string, string> = {};
  if (pairs) for (const { key, value } of pairs) properties[key] = value;
  return properties;
}
