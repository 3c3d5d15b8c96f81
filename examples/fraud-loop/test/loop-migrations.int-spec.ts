import {
  applyPendingMigrations,
  createGyreDataSource,
  DataSourceRole,
  MIGRATIONS,
  migrationStatus,
  revertLastMigration,
} from '@gyre/database';
import { DataSource } from 'typeorm';
import { createFreshDatabase, FreshDatabase } from '../../../tools/testing';
import { REFERENCE_LOOP_MIGRATIONS } from '../src';

// Class names: each names its migration (data-source-options.spec.ts).
const PLATFORM = MIGRATIONS.map((migration) => migration.name);
const LOOP = REFERENCE_LOOP_MIGRATIONS.map((migration) => migration.name);
const timestampOf = (name: string) => Number(name.slice(-13));
const LOOP_TABLES = [
  'gyre_loop_card_states',
  'gyre_loop_dataset_manifests',
  'gyre_loop_epochs',
  'gyre_loop_examples',
  'gyre_loop_feature_rows',
  'gyre_loop_joins',
  'gyre_loop_label_rates',
  'gyre_loop_model_role_changes',
  'gyre_loop_model_versions',
  'gyre_loop_monitoring_alerts',
  'gyre_loop_monitoring_epochs',
  'gyre_loop_monitoring_figures',
  'gyre_loop_monitoring_thresholds',
];

describe("the fraud loop's migrations", () => {
  let database: FreshDatabase;
  const open: DataSource[] = [];
  const dataSource = async (role: Omit<DataSourceRole, 'applicationName'> = {}) => {
    const opened = await createGyreDataSource(
      { database: { url: database.url, embeddedPort: 0 } },
      { applicationName: 'gyre-test', ...role },
    ).initialize();
    open.push(opened);
    return opened;
  };
  const platform = () => dataSource();
  const withLoop = () => dataSource({ migrations: REFERENCE_LOOP_MIGRATIONS });
  const tables = async (source: DataSource, like: string): Promise<string[]> =>
    (
      (await source.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE $1 ORDER BY tablename`, [
        like,
      ])) as { tablename: string }[]
    ).map((row) => row.tablename);

  beforeEach(async () => {
    database = await createFreshDatabase();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((source) => source.destroy()));
    await database?.drop();
  });

  it("add the loop's tables on top of a database the platform's migrations made", async () => {
    await applyPendingMigrations(await platform());
    const loop = await withLoop();

    expect(await migrationStatus(loop)).toEqual({ applied: PLATFORM, pending: LOOP });
    expect(await applyPendingMigrations(loop)).toEqual(LOOP);

    expect(await tables(loop, 'gyre\\_loop\\_%')).toEqual([...LOOP_TABLES, 'gyre_loop_labels'].sort());
    const [lateness] = await loop.query(
      `SELECT data_type FROM information_schema.columns
        WHERE table_name = 'gyre_loop_feature_rows' AND column_name = 'late_by_ms'`,
    );
    expect(lateness).toEqual({ data_type: 'bigint' });
    const keys = await loop.query(
      `SELECT c.relname AS table, array_agg(a.attname::text ORDER BY k.n) AS columns
         FROM pg_constraint p JOIN pg_class c ON c.oid = p.conrelid
         CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY k(attnum, n)
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE p.contype = 'p' AND c.relname IN ('gyre_loop_monitoring_alerts', 'gyre_loop_monitoring_figures')
        GROUP BY c.relname ORDER BY c.relname`,
    );
    // A version can be served and shadowed in one window: each role has its own alert states and figures.
    expect(keys).toEqual([
      {
        table: 'gyre_loop_monitoring_alerts',
        columns: ['pipeline', 'window', 'model_version', 'role', 'measure'],
      },
      { table: 'gyre_loop_monitoring_figures', columns: ['pipeline', 'model_version', 'window', 'role'] },
    ]);
  });

  it("run with the platform's on an empty database, in timestamp order: the order of the list before they moved", async () => {
    const expected = [...PLATFORM, ...LOOP].sort((a, b) => timestampOf(a) - timestampOf(b));

    expect(await applyPendingMigrations(await withLoop())).toEqual(expected);
    expect(expected).not.toEqual([...PLATFORM, ...LOOP]);
  });

  it('are passed over by a process without the loop: it finds nothing pending and keeps the tables', async () => {
    await applyPendingMigrations(await withLoop());
    const generic = await platform();

    expect(await applyPendingMigrations(generic)).toEqual([]);
    expect((await migrationStatus(generic)).pending).toEqual([]);
    expect(await tables(generic, 'gyre\\_loop\\_%')).toEqual([...LOOP_TABLES, 'gyre_loop_labels'].sort());
  });

  it("revert newest first with the loop's list; the platform's list alone cannot revert a loop migration", async () => {
    await applyPendingMigrations(await withLoop());

    await expect(revertLastMigration(await platform())).rejects.toThrow(
      /No migration AddLoopMonitoringRoles1796649767619 was found/,
    );
    const loop = await withLoop();
    const reverted: string[] = [];
    for (let name = await revertLastMigration(loop); name; name = await revertLastMigration(loop))
      reverted.push(name);

    expect(reverted).toEqual([...PLATFORM, ...LOOP].sort((a, b) => timestampOf(b) - timestampOf(a)));
    expect(await tables(loop, 'gyre\\_%')).toEqual(['gyre_schema_migrations']);
  });
});
