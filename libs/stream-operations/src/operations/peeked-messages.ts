import type { PeekedEntry } from '@gyre/pulsar-admin';
import * as protobuf from 'protobufjs';
import { JsonText, jsonTextOf, opaqueId } from '@gyre/streams';

/** One message as an operator sees it: ids in both forms, key, times, properties and the decoded payload. */
export interface PeekedMessage {
  /** Gyre's opaque id (the ingestion API's form). */
  messageId: string;
  /** Pulsar's text form, `ledger:entry:partition[:batchIndex]`. */
  position: string;
  partition: number;
  key: string | null;
  publishTime: string | null;
  eventTime: string | null;
  properties: Record<string, string>;
  /**
   * The JSON payload as stored (its text, serialised by messagesJson as written); null when the bytes are
   * not UTF-8 JSON (then see payloadBase64).
   */
  payload: JsonText | null;
  payloadBase64?: string;
}

// SingleMessageMetadata from PulsarApi.proto: the header of each message inside a batch.
const SINGLE_MESSAGE_METADATA = protobuf.Root.fromJSON({
  nested: {
    KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    SingleMessageMetadata: {
      fields: {
        properties: { rule: 'repeated', type: 'KeyValue', id: 1 },
        partition_key: { type: 'string', id: 2 },
        payload_size: { type: 'int32', id: 3 },
        compacted_out: { type: 'bool', id: 4 },
        event_time: { type: 'uint64', id: 5 },
        partition_key_b64_encoded: { type: 'bool', id: 6 },
        ordering_key: { type: 'bytes', id: 7 },
        sequence_id: { type: 'uint64', id: 8 },
        null_value: { type: 'bool', id: 9 },
        null_partition_key: { type: 'bool', id: 10 },
      },
    },
  },
}).lookupType('SingleMessageMetadata');

interface SingleMessageMetadata {
  properties?: Array<{ key: string; value: string }>;
  partition_key?: string;
  payload_size: number;
  compacted_out?: boolean;
  event_time?: number | { toNumber(): number };
}

const PROPERTY_HEADER = 'x-pulsar-property-';

/**
 * The messages of one entry read by the admin API's peek. A plain entry is one message described by
 * the X-Pulsar-* headers. A batched entry (X-Pulsar-num-batch-message) arrives as the raw batch: per
 * message, a 4-byte big-endian size, its SingleMessageMetadata (key, properties, event time, payload
 * size), then its payload; all messages of a batch share the entry's publish time.
 */
export function messagesOfEntry(entry: PeekedEntry, partition: number): PeekedMessage[] {
  const header = headerReader(entry.headers);
  const [ledgerId, entryId] = (header('x-pulsar-message-id') ?? '').split(':').map(Number);
  if (!Number.isSafeInteger(ledgerId) || !Number.isSafeInteger(entryId))
    throw new RangeError(`peeked entry without a valid X-Pulsar-Message-ID`);
  const publishTime = isoOrNull(header('x-pulsar-publish-time'));
  const batchSize = header('x-pulsar-num-batch-message');
  if (batchSize === undefined) {
    return [
      {
        ...ids(ledgerId, entryId, partition, -1, 0),
        key: header('x-pulsar-partition-key') ?? null,
        publishTime,
        eventTime: isoOrNull(header('x-pulsar-event-time')),
        properties: propertiesOf(entry.headers),
        ...payloadOf(entry.body),
      },
    ];
  }
  return decodeBatch(entry.body, Number(batchSize))
    .map((record, index) => ({ record, index }))
    .filter(({ record }) => !record.metadata.compacted_out)
    .map(({ record, index }) => {
      const eventTime = toNumber(record.metadata.event_time);
      return {
        ...ids(ledgerId, entryId, partition, index, Number(batchSize)),
        key: record.metadata.partition_key || null,
        publishTime,
        eventTime: eventTime > 0 ? new Date(eventTime).toISOString() : null,
        properties: Object.fromEntries((record.metadata.properties ?? []).map((kv) => [kv.key, kv.value])),
        ...payloadOf(record.payload),
      };
    });
}

/** Splits an uncompressed batch payload into its `count` messages; a malformed batch is a RangeError. */
export function decodeBatch(
  body: Buffer,
  count: number,
): Array<{ metadata: SingleMessageMetadata; payload: Buffer }> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`bad batch size ${count}`);
  const records: Array<{ metadata: SingleMessageMetadata; payload: Buffer }> = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > body.length) throw new RangeError(`batch ends before message ${i}`);
    const size = body.readUInt32BE(offset);
    offset += 4;
    if (offset + size > body.length) throw new RangeError(`metadata of message ${i} overruns the batch`);
    const metadata = SINGLE_MESSAGE_METADATA.toObject(
      SINGLE_MESSAGE_METADATA.decode(body.subarray(offset, offset + size)),
      { longs: Number, defaults: false },
    ) as SingleMessageMetadata;
    offset += size;
    const end = offset + (metadata.payload_size ?? 0);
    if (end > body.length) throw new RangeError(`payload of message ${i} overruns the batch`);
    records.push({ metadata, payload: body.subarray(offset, end) });
    offset = end;
  }
  return records;
}

/** How many messages an entry holds (a batch counts its messages), from the peek headers. */
export function messageCountOf(entry: PeekedEntry): number {
  const size = headerReader(entry.headers)('x-pulsar-num-batch-message');
  return size === undefined ? 1 : Number(size);
}

/** Encodes one SingleMessageMetadata (for tests and golden bytes). */
export function encodeSingleMessageMetadata(metadata: Record<string, unknown>): Buffer {
  return Buffer.from(SINGLE_MESSAGE_METADATA.encode(SINGLE_MESSAGE_METADATA.fromObject(metadata)).finish());
}

function ids(ledgerId: number, entryId: number, partition: number, batchIndex: number, batchSize: number) {
  const position = { ledgerId, entryId, partition, batchIndex };
  const text = `${ledgerId}:${entryId}:${partition}${batchIndex >= 0 ? `:${batchIndex}` : ''}`;
  return { messageId: opaqueId(position, batchSize), position: text, partition };
}

function headerReader(headers: Record<string, string>): (name: string) => string | undefined {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => lower.get(name);
}

/** Pulsar 3+ sends `X-Pulsar-PROPERTY: {json}`; older brokers one `X-Pulsar-PROPERTY-<name>` per property. */
function propertiesOf(headers: Record<string, string>): Record<string, string> {
  const properties: Record<string, string> = {};
  const json = headerReader(headers)('x-pulsar-property');
  if (json !== undefined) {
    try {
      const parsed = JSON.parse(json) as Record<string, unknown>;
      for (const [name, value] of Object.entries(parsed)) properties[name] = String(value);
    } catch {
      // Not JSON: fall through to the per-property headers.
    }
  }
  for (const [name, value] of Object.entries(headers))
    if (name.toLowerCase().startsWith(PROPERTY_HEADER))
      properties[name.slice(PROPERTY_HEADER.length)] = value;
  return properties;
}

function payloadOf(bytes: Buffer): { payload: JsonText | null; payloadBase64?: string } {
  const text = jsonTextOf(bytes);
  if (text === undefined) return { payload: null, payloadBase64: bytes.toString('base64') };
  return { payload: new JsonText(text) };
}

function isoOrNull(value: string | undefined): string | null {
  if (!value) return null;
  const millis = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : null;
}

function toNumber(value: SingleMessageMetadata['event_time']): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
