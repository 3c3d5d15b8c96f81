import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/**
 * Routes TypeORM's messages into the structured logs. Queries themselves are not logged:
 * they are noise at any level and their parameters carry user data.
 */
export class TypeOrmLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.error({ msg: 'query failed', query }, error instanceof Error ? error : { reason: error });
  }

  logQuerySlow(durationMs: number, query: string): void {
    this.logger.warn({ msg: 'slow query', query, durationMs });
  }

  // TypeORM reports migration progress ("Migration X has been executed") through this one.
  logSchemaBuild(message: string): void {
    this.logger.log(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
