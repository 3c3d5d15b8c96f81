import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseIntPipe,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EpochLineage, LoopReport } from '@gyre/pipelines';

/** Lineage of a feedback loop's epochs: datasets, serving and trained models, their metrics (admin keys only). */
@ApiTags('admin: pipelines')
@Controller('admin/epochs')
export class AdminLineageController {
  constructor(private readonly report: LoopReport) {}

  @Get(':epoch/lineage')
  @ApiOperation({
    summary:
      "An epoch's lineage: its input dataset, the model that scored it, the model it trained, their metrics",
  })
  @ApiQuery({ name: 'pipeline', required: true, description: 'the loop pipeline, e.g. fraud-demo-<run>' })
  @ApiOkResponse({ description: 'the epoch, with dataset (S3 keys, rows, checksum) and model versions' })
  async lineage(
    @Param('epoch', ParseIntPipe) epoch: number,
    @Query('pipeline') pipeline: string | undefined,
  ): Promise<EpochLineage> {
    if (!pipeline) throw new BadRequestException('the pipeline query parameter is required');
    const lineage = await this.report.lineage(pipeline, epoch);
    if (!lineage) throw new NotFoundException(`pipeline "${pipeline}" has no epoch ${epoch}`);
    return lineage;
  }
}
