import { gyreDataSourceOptions, MIGRATIONS_TABLE } from './data-source-options';
import { MIGRATIONS } from './migrations/all-migrations';

const config = { database: { url: 'postgres://postgres@127.0.0.1:5432/gyre', embeddedPort: 54329 } };

describe(gyreDataSourceOptions.name, () => {
  it('never synchronises the schema: migrations are the only way it changes', () => {
    const options = gyreDataSourceOptions(config, { applicationName: 'gyre-api', migrationsRun: true });

    expect(options).toMatchObject({
      type: 'postgres',
      url: config.database.url,
      applicationName: 'gyre-api',
      synchronize: false,
      migrationsTableName: MIGRATIONS_TABLE,
    });
  });

  it('leaves migrations to DatabaseModule even for a migrating role, which applies them under a lock', () => {
    expect(
      gyreDataSourceOptions(config, { applicationName: 'gyre-api', migrationsRun: true }).migrationsRun,
    ).toBe(false);
    expect(gyreDataSourceOptions(config, { applicationName: 'gyre-workers' }).migrationsRun).toBe(false);
  });

  it("adds an extension's migrations to the platform's, which every role keeps", () => {
    class CreateExampleTables1795600000000 {
      name = 'CreateExampleTables1795600000000';
      async up(): Promise<void> {}
      async down(): Promise<void> {}
    }

    const options = gyreDataSourceOptions(config, {
      applicationName: 'gyre-api',
      migrationsRun: true,
      migrations: [CreateExampleTables1795600000000],
    });

    expect(options.migrations).toEqual([...MIGRATIONS, CreateExampleTables1795600000000]);
    expect(gyreDataSourceOptions(config, { applicationName: 'gyre-workers' }).migrations).toEqual(MIGRATIONS);
  });

  it('lists migrations as classes, in timestamp order, each named after its own timestamp', () => {
    const names = MIGRATIONS.map((migration) => new migration().name);
    const timestamps = names.map((name) => Number(/(\d{13})$/.exec(name ?? '')?.[1]));

    expect(MIGRATIONS.map((migration) => migration.name)).toEqual(names);
    expect(timestamps.every(Number.isFinite)).toBe(true);
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
    expect(new Set(timestamps).size).toBe(timestamps.length);
  });
});
