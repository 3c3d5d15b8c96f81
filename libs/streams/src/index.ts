/**
 * @gyre/streams, the side-effect-free core of streams: the catalog, schemas, topic naming (the streams
 * namespace) and the event-properties contract. Ingestion, HTTP consumption and stream operations are
 * the libs @gyre/ingest, @gyre/http-consumption and @gyre/stream-operations.
 */
export {
  INFINITE_RETENTION,
  StreamNamespace,
  StreamNamespaceReport,
  StreamNamespaceSettings,
} from './namespace/stream-namespace';
export { StreamsModule } from './streams.module';
export { StreamCatalog } from './catalog/stream-catalog';
export type { StreamDeletionHook } from './catalog/stream-catalog';
export { StreamDirectory } from './catalog/stream-directory';
export { StreamSchemas } from './catalog/stream-schemas';
export type { SchemaCompatibility, SchemaVersionView } from './catalog/stream-schemas';
export { MAX_PARTITIONS, STREAM_NAME } from './catalog/stream-definition';
export type { StreamDefinition, StreamView } from './catalog/stream-definition';
export { streamNotFound, StreamsError } from './errors';
export type { FieldProblem, StreamsErrorCode } from './errors';
export { backwardIncompatibilities, compatibilityProblems } from './schema/schema-compatibility';
export { canonicalJson } from './schema/json-schema';
export { payloadProblems } from './schema/payload-validator';
export { EVENT_PROPERTIES, RESERVED_PROPERTY_PREFIX } from './events/event-properties';
export { JsonText, jsonTextOf, messagesJson } from './events/payload-text';
export {
  formatPosition,
  opaqueId,
  parseMessagePosition,
  parseTimestamp,
  partitionOf,
  readTimestamp,
} from './events/message-position';
export type { MessagePosition } from './events/message-position';
