import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PROMETHEUS_CONTENT_TYPE } from '@gyre/metrics';
import { Public } from '../auth/access.decorator';
import { ApiMetrics } from './api-metrics';

/**
 * Public like /health, so a Prometheus scraper needs no API key (an admin key in a scrape config would
 * grant far more than reading metrics). It reveals route templates and rates only; keep it off the
 * public ingress.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Get()
  @Public()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics (text format 0.0.4); no API key needed' })
  @ApiOkResponse({
    content: {
      'text/plain': {
        example:
          'gyre_api_requests_total{method="POST",route="/v1/streams/:stream/events",status="202"} 1042',
      },
    },
  })
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
