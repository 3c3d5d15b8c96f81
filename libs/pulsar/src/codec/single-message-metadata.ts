import Long from 'long';
import type { SingleMessageMetadata, Uint64 } from './protocol';

/**
 * A batch record's SingleMessageMetadata, written by hand straight into the frame being built. protobufjs
 * encodes through a fresh Writer per record and copies its result, and a batch pays that once per message:
 * in the profiles of batch ingestion and of the stage runtime's batched outputs it was the largest part of
 * encoding an entry. Fields go in field-number order, as protobufjs writes them, so the bytes are the same
 * (single-message-metadata.spec.ts compares the two).
 */
export function singleMetadataSize(meta: SingleMessageMetadata, payloadSize: number): number {
  let size = 0;
  if (meta.properties)
    for (const { key, value } of meta.properties) {
      const pair = stringField(key) + stringField(value);
      size += 1 + varintSize(pair) + pair;
    }
  if (meta.partition_key != null) size += stringField(meta.partition_key);
  size += 1 + varintSize(payloadSize);
  if (meta.compacted_out != null) size += 2;
  if (meta.event_time != null) size += 1 + uint64Size(meta.event_time);
  if (meta.partition_key_b64_encoded != null) size += 2;
  if (meta.ordering_key != null) size += 1 + varintSize(meta.ordering_key.length) + meta.ordering_key.length;
  if (meta.sequence_id != null) size += 1 + uint64Size(meta.sequence_id);
  if (meta.null_value != null) size += 2;
  if (meta.null_partition_key != null) size += 2;
  return size;
}

/** Writes what singleMetadataSize measured at `offset`; returns the offset after it. */
export function writeSingleMetadata(
  meta: SingleMessageMetadata,
  payloadSize: number,
  target: Buffer,
  offset: number,
): number {
  let at = offset;
  if (meta.properties)
    for (const { key, value } of meta.properties) {
      target[at++] = 0x0a; // 1: properties, length-delimited
      at = writeVarint(target, at, stringField(key) + stringField(value));
      at = writeString(target, at, 0x0a, key); // KeyValue 1: key
      at = writeString(target, at, 0x12, value); // KeyValue 2: value
    }
  if (meta.partition_key != null) at = writeString(target, at, 0x12, meta.partition_key);
  target[at++] = 0x18; // 3: payload_size
  at = writeVarint(target, at, payloadSize);
  if (meta.compacted_out != null) at = writeBool(target, at, 0x20, meta.compacted_out);
  if (meta.event_time != null) {
    target[at++] = 0x28; // 5: event_time
    at = writeUint64(target, at, meta.event_time);
  }
  if (meta.partition_key_b64_encoded != null)
    at = writeBool(target, at, 0x30, meta.partition_key_b64_encoded);
  if (meta.ordering_key != null) {
    target[at++] = 0x3a; // 7: ordering_key
    at = writeVarint(target, at, meta.ordering_key.length);
    target.set(meta.ordering_key, at);
    at += meta.ordering_key.length;
  }
  if (meta.sequence_id != null) {
    target[at++] = 0x40; // 8: sequence_id
    at = writeUint64(target, at, meta.sequence_id);
  }
  if (meta.null_value != null) at = writeBool(target, at, 0x48, meta.null_value);
  if (meta.null_partition_key != null) at = writeBool(target, at, 0x50, meta.null_partition_key);
  return at;
}

/** Up to this length strings are measured and written in JavaScript: a call into Buffer's C++ costs more. */
const SHORT_STRING = 64;

/** Tag, length and bytes of a string field. */
function stringField(text: string): number {
  const bytes = utf8Length(text);
  return 1 + varintSize(bytes) + bytes;
}

function writeString(target: Buffer, offset: number, tag: number, text: string): number {
  target[offset] = tag;
  const bytes = utf8Length(text);
  const at = writeVarint(target, offset + 1, bytes);
  if (text.length > SHORT_STRING) return at + target.write(text, at, bytes, 'utf8');
  let end = at;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) target[end++] = code;
    else if (code < 0x800) {
      target[end++] = 0xc0 | (code >> 6);
      target[end++] = 0x80 | (code & 0x3f);
    } else {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code >= 0xd800 && code < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        target[end++] = 0xf0 | (code >> 18);
        target[end++] = 0x80 | ((code >> 12) & 0x3f);
      } else {
        // A lone surrogate becomes U+FFFD, as Buffer and protobufjs write it.
        if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
        target[end++] = 0xe0 | (code >> 12);
      }
      target[end++] = 0x80 | ((code >> 6) & 0x3f);
      target[end++] = 0x80 | (code & 0x3f);
    }
  }
  return end;
}

/** UTF-8 byte length; a lone surrogate counts as the 3 bytes of U+FFFD. */
function utf8Length(text: string): number {
  if (text.length > SHORT_STRING) return Buffer.byteLength(text);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function writeBool(target: Buffer, offset: number, tag: number, value: boolean): number {
  target[offset] = tag;
  target[offset + 1] = value ? 1 : 0;
  return offset + 2;
}

/** Bytes of an unsigned 32-bit varint (int32 payload sizes are never negative). */
function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

function writeVarint(target: Buffer, offset: number, value: number): number {
  let at = offset;
  let rest = value >>> 0;
  while (rest > 0x7f) {
    target[at++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  target[at++] = rest;
  return at;
}

/** A uint64 as its low and high 32 bits; negative numbers as two's complement, as protobufjs does. */
function halves(value: Uint64): [number, number] {
  if (typeof value !== 'number') return [value.low >>> 0, value.high >>> 0];
  if (value >= 0 && value <= Number.MAX_SAFE_INTEGER)
    return [value >>> 0, Math.floor(value / 0x100000000) >>> 0];
  const long = Long.fromNumber(value, value >= 0);
  return [long.low >>> 0, long.high >>> 0];
}

function uint64Size(value: Uint64): number {
  const [low, high] = halves(value);
  if (high === 0) return varintSize(low);
  // 32 bits of low plus the high part's significant bits, 7 bits per byte.
  return Math.ceil((32 + (32 - Math.clz32(high))) / 7);
}

function writeUint64(target: Buffer, offset: number, value: Uint64): number {
  let [low, high] = halves(value);
  let at = offset;
  while (high !== 0 || low > 0x7f) {
    target[at++] = (low & 0x7f) | 0x80;
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
  }
  target[at++] = low;
  return at;
}
