import { HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { DatabaseHealthIndicator } from './database.health';

function dataSourceAnswering(query: () => Promise<unknown>): DataSource {
  return { query } as unknown as DataSource;
}

describe(DatabaseHealthIndicator.name, () => {
  it('reports up when SELECT 1 answers', async () => {
    const indicator = new DatabaseHealthIndicator(
      dataSourceAnswering(async () => [{ '?column?': 1 }]),
      new HealthIndicatorService(),
    );

    expect(await indicator.check()).toEqual({ database: { status: 'up' } });
  });

  it('reports down with the reason when the query fails', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const indicator = new DatabaseHealthIndicator(
      dataSourceAnswering(() => Promise.reject(refused)),
      new HealthIndicatorService(),
    );

    expect(await indicator.check()).toEqual({
      database: { status: 'down', message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432' },
    });
  });
});
