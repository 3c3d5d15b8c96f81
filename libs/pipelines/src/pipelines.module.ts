import { Module } from '@nestjs/common';
import { PipelineService } from './store/pipeline.service';

/** The pipelines domain for a Nest process: the stored pipelines. Needs DatabaseModule imported by the app. */
@Module({
  providers: [PipelineService],
  exports: [PipelineService],
})
export class PipelinesModule {}
