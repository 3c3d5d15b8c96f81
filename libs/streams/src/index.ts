export {
  INFINITE_RETENTION,
  StreamNamespace,
  StreamNamespaceReport,
  StreamNamespaceSettings,
} from './namespace/stream-namespace';
export { StreamsModule } from './streams.module';
export { StreamCatalog } from './catalog/stream-catalog';
export { MAX_PARTITIONS, STREAM_NAME } from './catalog/stream-definition';
export type { StreamDefinition, StreamView } from './catalog/stream-definition';
export { StreamsError } from './errors';
export type { FieldProblem, StreamsErrorCode } from './errors';
export { IngestService } from './ingest/ingest.service';
export type { IngestOutcome, IngestRequest } from './ingest/ingest.service';
export type { EventInput, EventsBody } from './ingest/event-envelope';
export type { IngestResult, PublishedEvent } from './ingest/ingest-result';
export { backwardIncompatibilities } from './schema/schema-compatibility';
export { EVENT_PROPERTIES, RESERVED_PROPERTY_PREFIX } from './events/event-properties';
