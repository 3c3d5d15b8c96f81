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

/** Applies every pending migration in one transaction; returns their names. */
export async function applyPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'all' });
  return applied.map((migration) => migration.name);
}

/** Reverts the most recently applied migration; returns its name, or undefined when none was applied. */
export async function revertLastMigration(dataSource: DataSource): Promise<string | undefined> {
  const { applied } = await migrationStatus(dataSource);
  if (applied.length === 0) return undefined;
  await dataSource.undoLastMigration({ transaction: 'all' });
  return applied[applied.length - 1];
}
