import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { GyreConfig } from '@gyre/config';
import { PulsarAdmin, PulsarAdminError } from '@gyre/pulsar-admin';
import { describeError, HEALTH_TIMEOUT_MS, withTimeout } from './with-timeout';

/** The broker is up when its admin API (the process's one PulsarAdmin) answers the broker health check. */
@Injectable()
export class PulsarHealthIndicator {
  constructor(
    private readonly admin: PulsarAdmin,
    private readonly config: GyreConfig,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'pulsar'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const { adminUrl } = this.config.pulsar;
    try {
      if (await withTimeout(this.admin.brokerHealthy(), HEALTH_TIMEOUT_MS, 'Pulsar'))
        return session.up({ adminUrl });
      return session.down({ adminUrl, message: 'broker health answered without "ok"' });
    } catch (error) {
      if (error instanceof PulsarAdminError && error.status !== undefined)
        return session.down({
          adminUrl,
          message: `broker health answered ${error.status}: ${(error.brokerReason ?? '').slice(0, 200)}`,
        });
      return session.down({ adminUrl, message: describeError(error) });
    }
  }
}
