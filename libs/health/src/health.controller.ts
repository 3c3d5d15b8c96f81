import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { PulsarHealthIndicator } from './pulsar.health';
import { S3HealthIndicator } from './s3.health';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly pulsar: PulsarHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
    private readonly s3: S3HealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  async check(
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.pulsar.check(),
        () => this.database.check(),
        () => this.s3.check(),
      ]);
    } catch (error) {
      // Answer 503 in terminus' own format (which probes expect), not as an application error.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
