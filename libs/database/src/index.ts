export { ApiKeyRecord } from './auth/api-key-record.entity';
export type { ApiKeyScopeRecord } from './auth/api-key-record.entity';
export { AuditLogEntry } from './audit-log/audit-log-entry.entity';
export { AuditLogReader } from './audit-log/audit-log-reader';
export type { AuditLogPage } from './audit-log/audit-log-reader';
export { DeadLetterRedrive } from './dead-letters/dead-letter-redrive.entity';
export {
  createGyreDataSource,
  ENTITIES,
  gyreDataSourceOptions,
  MIGRATIONS_TABLE,
} from './data-source-options';
export type { DataSourceRole, MigrationClass } from './data-source-options';
export { DatabaseModule } from './database.module';
export { applyPendingMigrations, migrationStatus, revertLastMigration } from './migration-commands';
export type { MigrationStatus } from './migration-commands';
export { MIGRATIONS } from './migrations/all-migrations';
export { PipelineRecord } from './pipelines/pipeline-record.entity';
export { ReplayCheckpointRecord } from './replay/replay-checkpoint.entity';
export { ReplayJobRecord } from './replay/replay-job-record.entity';
export type { ReplayJobState } from './replay/replay-job-record.entity';
export { IngestIdempotencyRecord } from './streams/ingest-idempotency-record.entity';
export { StreamRecord } from './streams/stream-record.entity';
export { StreamSchemaVersion } from './streams/stream-schema-version.entity';
