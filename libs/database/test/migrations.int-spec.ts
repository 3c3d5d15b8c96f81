import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import {
  applyPendingMigrations,
  AuditLogEntry,
  createGyreDataSource,
  MIGRATIONS,
  migrationStatus,
  revertLastMigration,
} from '@gyre/database';
import { createFreshDatabase } from './fresh-database';

const FIRST_MIGRATION = new MIGRATIONS[0]().name;

describe('Gyre migrations on a real Postgres', () => {
  let database: Awaited<ReturnType<typeof createFreshDatabase>>;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createFreshDatabase();
    dataSource = await createGyreDataSource(
      { database: { url: database.url, embeddedPort: 0 } },
      {
        applicationName: 'gyre-test',
      },
    ).initialize();
  });

  afterEach(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('applies the first migration to an empty database and then reports nothing pending', async () => {
    expect(await migrationStatus(dataSource)).toEqual({ applied: [], pending: [FIRST_MIGRATION] });

    expect(await applyPendingMigrations(dataSource)).toEqual([FIRST_MIGRATION]);

    expect(await migrationStatus(dataSource)).toEqual({ applied: [FIRST_MIGRATION], pending: [] });
    expect(await applyPendingMigrations(dataSource)).toEqual([]);
  });

  it('creates gyre_audit_log, which stores and returns an audit entry with its jsonb states', async () => {
    await applyPendingMigrations(dataSource);
    const entries = dataSource.getRepository(AuditLogEntry);

    const saved = await entries.save(
      entries.create({
        actor: 'admin',
        action: 'stream.create',
        target: 'stream/clicks',
        before: null,
        after: { tier: 'hot' },
      }),
    );

    const found = await entries.findOneByOrFail({ id: saved.id });
    expect(found).toMatchObject({
      actor: 'admin',
      action: 'stream.create',
      target: 'stream/clicks',
      before: null,
    });
    expect(found.after).toEqual({ tier: 'hot' });
    expect(found.at).toBeInstanceOf(Date);
  });

  it('reverts the last migration, dropping its table', async () => {
    await applyPendingMigrations(dataSource);

    expect(await revertLastMigration(dataSource)).toBe(FIRST_MIGRATION);

    expect(await dataSource.query(`SELECT to_regclass('gyre_audit_log') AS "table"`)).toEqual([
      { table: null },
    ]);
    expect(await revertLastMigration(dataSource)).toBeUndefined();
  });

  it("the migrate CLI applies migrations with the apps' config and prints one line", async () => {
    const migrate = (command: string) =>
      promisify(execFile)(
        process.execPath,
        [require.resolve('ts-node/dist/bin.js'), 'libs/database/src/cli.ts', command],
        {
          cwd: `${__dirname}/../../..`,
          env: { ...process.env, DATABASE_URL: database.url },
        },
      );

    const { stdout } = await migrate('run');
    expect(stdout).toBe(`applied 1 migration(s): ${FIRST_MIGRATION}\n`);
    expect((await migrate('show')).stdout).toBe(`1 applied (${FIRST_MIGRATION}), 0 pending\n`);
  });
});
