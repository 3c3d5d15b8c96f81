import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { GyreConfig } from '@gyre/config';
import { describeError, HEALTH_TIMEOUT_MS } from './with-timeout';

/** The broker is up when its admin API answers `GET /admin/v2/brokers/health` with 200 "ok". */
@Injectable()
export class PulsarHealthIndicator {
  constructor(
    private readonly config: GyreConfig,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'pulsar'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const { adminUrl, authToken } = this.config.pulsar;
    try {
      const response = await fetch(`${adminUrl}/admin/v2/brokers/health`, {
        headers: authToken ? { authorization: `Bearer ${authToken}` } : {},
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      });
      const body = (await response.text()).trim();
      if (response.status === 200 && body === 'ok') return session.up({ adminUrl });
      return session.down({
        adminUrl,
        message: `broker health answered ${response.status}: ${body.slice(0, 200)}`,
      });
    } catch (error) {
      return session.down({ adminUrl, message: describeError(error) });
    }
  }
}
