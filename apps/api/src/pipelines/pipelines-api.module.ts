import { Module } from '@nestjs/common';
import { LoopReport, PipelinesModule, PipelineStatusService } from '@gyre/pipelines';
import { StreamsModule } from '@gyre/streams';
import { AdminPipelinesController } from './admin-pipelines.controller';

/** The admin endpoints of pipelines: definitions, stage and worker status, prediction lineage. */
@Module({
  imports: [PipelinesModule, StreamsModule],
  controllers: [AdminPipelinesController],
  providers: [PipelineStatusService, LoopReport],
})
export class PipelinesApiModule {}
