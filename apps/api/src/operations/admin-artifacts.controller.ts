import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { StoredArtifacts } from '@gyre/storage';
import { ApiProblems } from '../problem-details/api-problems.decorator';
import { InvalidRequestException } from '../problem-details/problem-details';

/**
 * Datasets and model artifacts by the `s3://` URI lineage records (admin keys only), streamed through the
 * API: the operator needs no S3 credentials and the bucket need not be reachable from the browser.
 */
@ApiTags('admin: pipelines')
@Controller('admin/artifacts')
export class AdminArtifactsController {
  constructor(private readonly artifacts: StoredArtifacts) {}

  @Get()
  @ApiOperation({
    summary: 'Download a Parquet dataset part or a model artifact by its s3:// URI',
    description:
      "Only objects in Gyre's datasets and models buckets (S3_BUCKET_DATASETS, S3_BUCKET_MODELS); sent as an attachment named after the key's last part.",
  })
  @ApiQuery({ name: 'uri', required: true, example: 's3://gyre-models/fraud/v0001/model.json' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the object, as stored' })
  @ApiProblems({
    400: 'uri missing (invalid-request)',
    404: 'no such object (storage-object-not-found)',
    422: 'not an s3:// URI in the datasets or models bucket (not-an-artifact)',
    503: 'object storage unreachable (Retry-After)',
  })
  async download(@Query('uri') uri: string | undefined): Promise<StreamableFile> {
    if (!uri)
      throw new InvalidRequestException('invalid-request', 400, 'the uri query parameter is required', [
        { pointer: '/query/uri', detail: 'required' },
      ]);
    const artifact = await this.artifacts.open(uri);
    return new StreamableFile(artifact.body, {
      type: artifact.contentType ?? 'application/octet-stream',
      length: artifact.contentLength,
      disposition: `attachment; filename="${artifact.fileName}"`,
    });
  }
}
