import { Module } from '@nestjs/common';
import { LoopReport, PipelinesModule, PipelineStatusService } from '@gyre/pipelines';
import { StreamsModule } from '@gyre/streams';
import { AdminPipelinesController } from './admin-pipelines.controller';
import { PipelineProblemsFilter } from './pipeline-problems';

/** The admin endpoints of pipelines: definitions, stage and worker status, prediction lineage. */
@Module({
  imports: [PipelinesModule, StreamsModule],
  controllers: [AdminPipelinesController],
  providers: [PipelineStatusService, LoopReport, PipelineProblemsFilter],
})
export class PipelinesApiModule {}
