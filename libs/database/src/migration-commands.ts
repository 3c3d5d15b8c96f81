import { DataSource, MigrationExecutor } from 'typeorm';

export interface MigrationStatus {
  /** Oldest first. */
  applied: string[];
  pending: string[];
}

/** What the migrate CLI and the tests ask of the schema; the DataSource must be initialised. */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationStatus> {
  const executor = new MigrationExecutor(dataSource);
  const executed = await executor.getExecutedMigrations();
  const pending = await executor.getPendingMigrations();
  return {
    applied: executed.map((migration) => migration.name).reverse(),
    pending: pending.map((migration) => migration.name),
  };
}

// One session-level advisory lock for every Gyre process migrating a database (any fixed key would do).
const MIGRATION_LOCK_KEY = 4_754_210_913;

/**
 * Applies every pending migration in one transaction; returns their names. Several API instances start
 * together on one database: the advisory lock makes them take turns, so the first applies the migrations
 * and the others find nothing pending, instead of failing on a table another one just created.
 */
export async function applyPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((migration) => migration.name);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await session.release();
  }
}

/** Reverts the most recently applied migration; returns its name, or undefined when none was applied. */
export async function revertLastMigration(dataSource: DataSource): Promise<string | undefined> {
  const { applied } = await migrationStatus(dataSource);
  if (applied.length === 0) return undefined;
  await dataSource.undoLastMigration({ transaction: 'all' });
  return applied[applied.length - 1];
}
