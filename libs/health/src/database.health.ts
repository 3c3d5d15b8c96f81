import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { describeError, HEALTH_TIMEOUT_MS, withTimeout } from './with-timeout';

/** Postgres is up when the app's own pool answers SELECT 1. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'database'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), HEALTH_TIMEOUT_MS, 'Postgres');
      return session.up();
    } catch (error) {
      return session.down({ message: describeError(error) });
    }
  }
}
