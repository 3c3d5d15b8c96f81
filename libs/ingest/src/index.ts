/** @gyre/ingest: REST ingestion of events into streams (validation, idempotency, publishing); the API runs it. */
export { IngestModule } from './ingest.module';
export { IngestService } from './ingest/ingest.service';
export type { IngestOutcome, IngestRequest } from './ingest/ingest.service';
export type { EventInput, EventsBody } from './ingest/event-envelope';
export type { IngestResult, PublishedEvent } from './ingest/ingest-result';
export { StreamProducers } from './publishing/stream-producers';
export type { PublishSample } from './publishing/stream-producers';
