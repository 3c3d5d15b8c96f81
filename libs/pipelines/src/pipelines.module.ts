import { Module } from '@nestjs/common';
import { PipelineService } from './store/pipeline.service';
import { WorkerStatusStore } from './store/worker-status.store';

/** The pipelines domain for a Nest process: the stored pipelines and worker reports. Needs DatabaseModule imported by the app. */
@Module({
  providers: [PipelineService, WorkerStatusStore],
  exports: [PipelineService, WorkerStatusStore],
})
export class PipelinesModule {}
