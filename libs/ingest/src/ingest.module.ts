import { Module } from '@nestjs/common';
import { StreamsModule } from '@gyre/streams';
import { IngestService } from './ingest/ingest.service';
import { StreamProducers } from './publishing/stream-producers';

/**
 * Ingestion for the role that serves it (the API): publishes events through the process's one Pulsar
 * client and cleans up expired idempotency claims from onModuleInit. Needs GyreCoreModule from the app.
 */
@Module({
  imports: [StreamsModule],
  providers: [StreamProducers, IngestService],
  exports: [IngestService, StreamProducers],
})
export class IngestModule {}
