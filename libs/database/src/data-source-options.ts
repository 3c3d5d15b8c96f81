import type { GyreConfig } from '@gyre/config';
import { DataSource, MigrationInterface } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { ApiKeyRecord } from './auth/api-key-record.entity';
import { DeadLetterRedrive } from './dead-letters/dead-letter-redrive.entity';
import { AuditLogEntry } from './audit-log/audit-log-entry.entity';
import { MIGRATIONS } from './migrations/all-migrations';
import { ReplayCheckpointRecord } from './replay/replay-checkpoint.entity';
import { ReplayJobRecord } from './replay/replay-job-record.entity';
import { PipelineRecord } from './pipelines/pipeline-record.entity';
import { IngestIdempotencyRecord } from './streams/ingest-idempotency-record.entity';
import { StreamRecord } from './streams/stream-record.entity';
import { StreamSchemaVersion } from './streams/stream-schema-version.entity';
import { TypeOrmLogger } from './typeorm-logger';

export const ENTITIES = [
  AuditLogEntry,
  StreamRecord,
  StreamSchemaVersion,
  IngestIdempotencyRecord,
  PipelineRecord,
  ApiKeyRecord,
  DeadLetterRedrive,
  ReplayJobRecord,
  ReplayCheckpointRecord,
];
/** Gyre's schema-version table (TypeORM's default name would collide with other apps sharing a database). */
export const MIGRATIONS_TABLE = 'gyre_schema_migrations';

/** A migration class, named after the 13-digit timestamp TypeORM orders and records it by. */
export type MigrationClass = new () => MigrationInterface;

export interface DataSourceRole {
  /** Shown in pg_stat_activity, so an operator can tell the API's connections from the workers'. */
  applicationName: string;
  /** Only the API (and the migrate CLI) change the schema; workers must find it ready. */
  migrationsRun?: boolean;
  /**
   * An extension's own migrations (examples/fraud-loop), added to the platform's MIGRATIONS. TypeORM runs
   * the pending ones of both in the order of their names' timestamps, and passes over applied migrations
   * it is not given, so a process without the extension runs on a database that has its tables.
   */
  migrations?: readonly MigrationClass[];
}

/** The one place TypeORM is configured: the apps, the CLI and the tests all start here. */
export function gyreDataSourceOptions(
  config: Pick<GyreConfig, 'database'>,
  { applicationName, migrations = [] }: DataSourceRole,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    applicationName,
    entities: ENTITIES,
    migrations: [...MIGRATIONS, ...migrations],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all',
    // A migrating role applies them itself, under a lock (DatabaseModule, applyPendingMigrations).
    migrationsRun: false,
    synchronize: false,
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1000,
  };
}

export function createGyreDataSource(config: Pick<GyreConfig, 'database'>, role: DataSourceRole): DataSource {
  return new DataSource(gyreDataSourceOptions(config, role));
}
