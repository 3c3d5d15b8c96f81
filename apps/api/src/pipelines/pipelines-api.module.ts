import { Module } from '@nestjs/common';
import { PipelinesModule, PipelineStatusService } from '@gyre/pipelines';
import { StreamsModule } from '@gyre/streams';
import { AdminPipelinesController } from './admin-pipelines.controller';

/** The admin endpoints of pipelines: definitions, stage and worker status. */
@Module({
  imports: [PipelinesModule, StreamsModule],
  controllers: [AdminPipelinesController],
  providers: [PipelineStatusService],
})
export class PipelinesApiModule {}
