import { applyPendingMigrations, createGyreDataSource, MigrationClass } from '@gyre/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testEndpoints } from './endpoints';
import { uniqueName } from './unique-name';

export interface FreshDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** An empty database of its own for one test, on the stack's Postgres; dropped by `drop()`. */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const serverUrl = testEndpoints().databaseUrl;
  const name = uniqueName('gyre_test').replace(/-/g, '_');
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export interface MigratedDatabase extends FreshDatabase {
  dataSource: DataSource;
  /** Closes the data source, then drops the database. */
  close: () => Promise<void>;
}

/**
 * A fresh database with the platform's migrations applied, and an extension's `migrations` (an example's
 * tables) on top, and a data source on it (schema only through migrations).
 */
export async function migratedDatabase(
  applicationName = 'gyre-test',
  migrations: readonly MigrationClass[] = [],
): Promise<MigratedDatabase> {
  const database = await createFreshDatabase();
  const dataSource = await createGyreDataSource(
    { database: { url: database.url, embeddedPort: 0 } },
    { applicationName, migrations },
  ).initialize();
  await applyPendingMigrations(dataSource);
  return {
    ...database,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
