import { MessageId } from '@gyre/pulsar';
import { StreamsError } from '../errors';

/** A position in one partition of a stream (partition -1: a non-partitioned topic such as a DLQ). */
export interface MessagePosition {
  ledgerId: number;
  entryId: number;
  partition: number;
  /** Index inside a batched entry; -1 when the message is not batched (or the whole entry is meant). */
  batchIndex: number;
}

const LEDGER_ENTRY = /^(\d+):(\d+)(?::(-1|\d+))?(?::(-1|\d+))?$/;

/**
 * Reads a message id in any form an operator has at hand: Gyre's opaque id (base64url, as the ingestion
 * API returns it), Pulsar's Java text form `ledger:entry[:partition[:batchIndex]]` (as in
 * ORIGIN_MESSAGE_ID, pulsar-admin output and broker logs) or the official Node client's
 * `(ledger,entry,partition,batchIndex)`. Anything else is INVALID_MESSAGE_ID.
 */
export function parseMessagePosition(text: string, pointer = '/messageId'): MessagePosition {
  const trimmed = text.trim();
  const match = LEDGER_ENTRY.exec(trimmed);
  if (match) {
    const [ledgerId, entryId] = [Number(match[1]), Number(match[2])];
    if (!Number.isSafeInteger(ledgerId) || !Number.isSafeInteger(entryId)) throw invalid(text, pointer);
    return {
      ledgerId,
      entryId,
      partition: match[3] === undefined ? -1 : Number(match[3]),
      batchIndex: match[4] === undefined ? -1 : Number(match[4]),
    };
  }
  let id: MessageId;
  try {
    id = trimmed.startsWith('(') ? MessageId.fromString(trimmed) : MessageId.fromOpaqueString(trimmed);
  } catch (error) {
    throw invalid(text, pointer, error);
  }
  const [ledgerId, entryId] = [Number(id.ledgerId), Number(id.entryId)];
  if (
    id.ledgerId < 0n ||
    id.entryId < 0n ||
    !Number.isSafeInteger(ledgerId) ||
    !Number.isSafeInteger(entryId)
  )
    throw invalid(text, pointer);
  return { ledgerId, entryId, partition: id.partition, batchIndex: id.batchIndex };
}

/** The partition a position refers to in a stream of `partitions` partitions; refused when ambiguous. */
export function partitionOf(position: MessagePosition, partitions: number, pointer = '/messageId'): number {
  if (position.partition >= 0 && position.partition < partitions) return position.partition;
  if (position.partition < 0 && partitions === 1) return 0;
  throw new StreamsError(
    'INVALID_MESSAGE_ID',
    position.partition < 0
      ? `the message id names no partition; this stream has ${partitions}: use ledger:entry:partition or Gyre's id`
      : `partition ${position.partition} does not exist; this stream has ${partitions}`,
    { problems: [{ pointer, detail: 'must name a partition of the stream' }] },
  );
}

/** Pulsar's text form of a position: `ledger:entry:partition[:batchIndex]`. */
export function formatPosition(position: MessagePosition): string {
  const base = `${position.ledgerId}:${position.entryId}:${position.partition}`;
  return position.batchIndex >= 0 ? `${base}:${position.batchIndex}` : base;
}

/** Gyre's opaque id of a position, equal to what the ingestion API returned (batch size included). */
export function opaqueId(position: MessagePosition, batchSize = 0): string {
  return new MessageId(
    BigInt(position.ledgerId),
    BigInt(position.entryId),
    position.partition,
    position.batchIndex,
    batchSize,
  ).toOpaqueString();
}

/** An RFC 3339 date-time or epoch milliseconds as epoch milliseconds; undefined for anything else. */
export function readTimestamp(value: unknown): number | undefined {
  const millis =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value.trim())
        ? Number(value.trim())
        : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)
          ? Date.parse(value)
          : NaN;
  return Number.isSafeInteger(millis) && millis >= 0 ? millis : undefined;
}

/** Reads an RFC 3339 date-time or epoch milliseconds; anything else is INVALID_TIMESTAMP. */
export function parseTimestamp(value: unknown, pointer = '/timestamp'): number {
  const millis = readTimestamp(value);
  if (millis === undefined)
    throw new StreamsError('INVALID_TIMESTAMP', `not a timestamp: ${JSON.stringify(value)}`, {
      problems: [{ pointer, detail: 'must be an RFC 3339 date-time or epoch milliseconds' }],
    });
  return millis;
}

function invalid(text: string, pointer: string, cause?: unknown): StreamsError {
  return new StreamsError('INVALID_MESSAGE_ID', `not a message id: ${JSON.stringify(text.slice(0, 100))}`, {
    cause,
    problems: [{ pointer, detail: "must be Gyre's message id or ledger:entry[:partition[:batchIndex]]" }],
  });
}
