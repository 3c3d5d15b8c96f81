import type { DatasetColumn, DatasetColumnType, DatasetRow } from '@gyre/storage';
import { jsonTextOf } from '@gyre/streams';
import { ReplayError } from '../errors';

/** Columns every export has, whatever the payload; prefixed so a payload field cannot collide. */
export const EXPORT_COLUMNS: readonly DatasetColumn[] = [
  { name: 'gyre_event_id', type: 'string' },
  { name: 'gyre_key', type: 'string', nullable: true },
  { name: 'gyre_event_time', type: 'timestamp', nullable: true },
  { name: 'gyre_publish_time', type: 'timestamp' },
  /** The source event's application properties as a JSON object (sorted keys). */
  { name: 'gyre_properties', type: 'string' },
];

/** The payload as JSON text, when the stream's schema has no flat list of typed fields. */
export const PAYLOAD_JSON_COLUMN: DatasetColumn = { name: 'gyre_payload', type: 'string' };

const JSON_TYPES: Record<string, DatasetColumnType> = {
  string: 'string',
  number: 'double',
  integer: 'int64',
  boolean: 'boolean',
};

/**
 * The Parquet columns of an export of a stream with this JSON schema: one nullable column per top-level
 * property (sorted by name)
 * when every property is a string, number, integer or boolean (optionally nullable); otherwise
 * the whole payload as one JSON text column.
 */
export function exportColumns(schema: unknown): DatasetColumn[] {
  const fields = flatFields(schema);
  if (!fields) return [...EXPORT_COLUMNS, PAYLOAD_JSON_COLUMN];
  return [...EXPORT_COLUMNS, ...fields.map(([name, type]) => ({ name, type, nullable: true }))];
}

function flatFields(schema: unknown): Array<[string, DatasetColumnType]> | undefined {
  if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties)) return undefined;
  const fields: Array<[string, DatasetColumnType]> = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (name.startsWith('gyre_') || !isObject(property)) return undefined;
    const types = (Array.isArray(property.type) ? property.type : [property.type]).filter(
      (t) => t !== 'null',
    );
    const type = types.length === 1 ? JSON_TYPES[String(types[0])] : undefined;
    if (!type) return undefined;
    fields.push([name, type]);
  }
  // By name: Postgres (jsonb) does not keep the schema's property order.
  return fields.length > 0 ? fields.sort(([a], [b]) => (a < b ? -1 : 1)) : undefined;
}

/** What an export row is made of: the event as the replay read it. */
export interface ExportSource {
  sourceEventId: string;
  key: string | undefined;
  eventTimestamp: number | undefined;
  publishTimestamp: number;
  sourceProperties: Record<string, string>;
  data: Buffer;
}

/**
 * One event as a row of `columns`; a payload that does not fit them fails the job (nothing is guessed).
 * The payload must be UTF-8 JSON, as ingestion writes it: other bytes (from another producer) would be
 * rewritten by a text column, so they fail the job too instead of landing with U+FFFD in the dataset.
 */
export function exportRow(columns: readonly DatasetColumn[], event: ExportSource): DatasetRow {
  const row: Record<string, string | number | boolean | null> = {
    gyre_event_id: event.sourceEventId,
    gyre_key: event.key ?? null,
    gyre_event_time: event.eventTimestamp ?? null,
    gyre_publish_time: event.publishTimestamp,
    gyre_properties: JSON.stringify(
      Object.fromEntries(Object.entries(event.sourceProperties).sort(([a], [b]) => (a < b ? -1 : 1))),
    ),
  };
  const text = jsonTextOf(event.data);
  if (text === undefined)
    throw mismatch(
      event,
      `its payload (${event.data.length} bytes) is not valid UTF-8 JSON, and an export writes payloads as text`,
    );
  if (columns.some((column) => column.name === PAYLOAD_JSON_COLUMN.name)) {
    row.gyre_payload = text;
    return row;
  }
  const payload: unknown = JSON.parse(text);
  if (!isObject(payload)) throw mismatch(event, 'its payload is not a JSON object');
  for (const column of columns.slice(EXPORT_COLUMNS.length)) {
    const value = payload[column.name];
    if (value === undefined || value === null) row[column.name] = null;
    else if (fits(column.type, value)) row[column.name] = value as string | number | boolean;
    else throw mismatch(event, `field "${column.name}" is not a ${column.type}`);
  }
  return row;
}

function fits(type: DatasetColumnType, value: unknown): boolean {
  if (type === 'string') return typeof value === 'string';
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'int64') return Number.isSafeInteger(value);
  return typeof value === 'number' && Number.isFinite(value);
}

function mismatch(event: ExportSource, detail: string, cause?: unknown): ReplayError {
  return new ReplayError(
    'REPLAY_EXPORT_MISMATCH',
    `event ${event.sourceEventId.slice(0, 100)} does not fit the export's columns: ${detail}`,
    { cause },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
