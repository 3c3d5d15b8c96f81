// `npm run migrate -- run|revert|show`: the schema commands, outside Nest, on the apps' own config.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigurationError, loadGyreConfig } from '@gyre/config';
import { JsonLogger } from '@gyre/logging';
import { createGyreDataSource } from './data-source-options';
import { applyPendingMigrations, migrationStatus, revertLastMigration } from './migration-commands';
import type { DataSource } from 'typeorm';

const COMMANDS: Record<string, (dataSource: DataSource) => Promise<string>> = {
  async run(dataSource) {
    const applied = await applyPendingMigrations(dataSource);
    return applied.length === 0
      ? 'schema up to date: no pending migration'
      : `applied ${applied.length} migration(s): ${applied.join(', ')}`;
  },
  async revert(dataSource) {
    const reverted = await revertLastMigration(dataSource);
    return reverted ? `reverted ${reverted}` : 'nothing to revert: no migration applied';
  },
  async show(dataSource) {
    const { applied, pending } = await migrationStatus(dataSource);
    const names = (list: string[]) => (list.length > 0 ? ` (${list.join(', ')})` : '');
    return `${applied.length} applied${names(applied)}, ${pending.length} pending${names(pending)}`;
  },
};

async function main(command: string | undefined): Promise<number> {
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`usage: npm run migrate -- ${Object.keys(COMMANDS).join('|')}\n`);
    return 2;
  }
  const config = loadGyreConfig();
  // The result line is the output; TypeORM's own progress messages only at LOG_LEVEL=debug.
  Logger.overrideLogger(
    new JsonLogger({ level: config.log.level === 'debug' ? 'debug' : 'warn', sink: process.stderr }),
  );
  const dataSource = createGyreDataSource(config, { applicationName: 'gyre-migrate' });
  await dataSource.initialize();
  try {
    process.stdout.write(`${await run(dataSource)}\n`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigurationError ? error.message : `migrate failed: ${String(error)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
