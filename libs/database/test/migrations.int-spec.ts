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
import { createFreshDatabase, FreshDatabase } from '../../../tools/testing';

const ALL_MIGRATIONS = MIGRATIONS.map((migration) => new migration().name);

describe('Gyre migrations on a real Postgres', () => {
  let database: FreshDatabase;
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

  it('applies every migration to an empty database, in order, and then reports nothing pending', async () => {
    expect(await migrationStatus(dataSource)).toEqual({ applied: [], pending: ALL_MIGRATIONS });

    expect(await applyPendingMigrations(dataSource)).toEqual(ALL_MIGRATIONS);

    expect(await migrationStatus(dataSource)).toEqual({ applied: ALL_MIGRATIONS, pending: [] });
    expect(await applyPendingMigrations(dataSource)).toEqual([]);
  });

  it('lets four processes migrate one empty database at once: one applies every migration, the others none', async () => {
    const others = await Promise.all(
      [1, 2, 3].map(() =>
        createGyreDataSource(
          { database: { url: database.url, embeddedPort: 0 } },
          { applicationName: 'gyre-test' },
        ).initialize(),
      ),
    );
    try {
      const results = await Promise.all(
        [dataSource, ...others].map((source) => applyPendingMigrations(source)),
      );

      expect(results.map((applied) => applied.length).sort((a, b) => a - b)).toEqual([
        0,
        0,
        0,
        ALL_MIGRATIONS.length,
      ]);
      expect(await migrationStatus(dataSource)).toEqual({ applied: ALL_MIGRATIONS, pending: [] });
    } finally {
      await Promise.all(others.map((source) => source.destroy()));
    }
  });

  it("creates the platform's tables only: of the fraud example's, just gyre_loop_labels, which a shipped migration made", async () => {
    await applyPendingMigrations(dataSource);

    const tables = (await dataSource.query(
      `SELECT tablename FROM pg_tables WHERE tablename LIKE 'gyre\\_loop\\_%'`,
    )) as { tablename: string }[];
    expect(tables.map((table) => table.tablename)).toEqual(['gyre_loop_labels']);
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

  it('reverts migrations one by one, newest first, until no Gyre table is left', async () => {
    await applyPendingMigrations(dataSource);

    for (const name of [...ALL_MIGRATIONS].reverse())
      expect(await revertLastMigration(dataSource)).toBe(name);
    const left = await dataSource.query(
      `SELECT tablename FROM pg_tables WHERE tablename LIKE 'gyre\\_%' AND tablename <> 'gyre_schema_migrations'`,
    );
    expect(left).toEqual([]);
    expect(await revertLastMigration(dataSource)).toBeUndefined();
  });

  it("keeps one schema version per stream and version, and forgets a stream's versions and claims with it", async () => {
    await applyPendingMigrations(dataSource);
    await dataSource.query(
      `INSERT INTO gyre_streams (name, owner_team, partitions, schema_version) VALUES ('clicks', 'ranking', 2, 1)`,
    );
    const addVersion = () =>
      dataSource.query(
        `INSERT INTO gyre_stream_schema_versions (stream, version, json_schema, created_by) VALUES ('clicks', 1, '{}', 'ops')`,
      );
    await addVersion();
    await dataSource.query(
      `INSERT INTO gyre_ingest_idempotency (stream, key, request_hash, state, claim_token, expires_at)
       VALUES ('clicks', 'request:k', 'h', 'pending', 't', now())`,
    );

    await expect(addVersion()).rejects.toThrow(/duplicate key/);
    await dataSource.query(`DELETE FROM gyre_streams WHERE name = 'clicks'`);

    expect(await dataSource.query(`SELECT count(*)::int AS n FROM gyre_stream_schema_versions`)).toEqual([
      { n: 0 },
    ]);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM gyre_ingest_idempotency`)).toEqual([
      { n: 0 },
    ]);
  });

  it('allows one live API key per name, and the name again once that key is revoked', async () => {
    await applyPendingMigrations(dataSource);
    const addKey = (id: string) =>
      dataSource.query(
        `INSERT INTO gyre_api_keys (id, name, role, scope, secret_hash, created_by)
         VALUES ($1, 'ci', 'producer', '{"kind":"all"}', 'h', 'ops')`,
        [id],
      );
    await addKey('a');

    await expect(addKey('b')).rejects.toThrow(/duplicate key/);
    await dataSource.query(`UPDATE gyre_api_keys SET revoked_at = now() WHERE id = 'a'`);
    await addKey('c');

    await expect(
      dataSource.query(
        `INSERT INTO gyre_api_keys (id, name, role, scope, secret_hash, created_by)
         VALUES ('d', 'other', 'root', '{"kind":"all"}', 'h', 'ops')`,
      ),
    ).rejects.toThrow(/check constraint/);
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
    const count = ALL_MIGRATIONS.length;
    expect(stdout).toBe(`applied ${count} migration(s): ${ALL_MIGRATIONS.join(', ')}\n`);
    expect((await migrate('show')).stdout).toBe(
      `${count} applied (${ALL_MIGRATIONS.join(', ')}), 0 pending\n`,
    );
  });
});
