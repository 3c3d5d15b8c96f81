// `npm run api-key -- create|list|rotate|revoke`: API keys outside Nest, e.g. the first admin key.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigurationError, loadGyreConfig } from '@gyre/config';
import { createGyreDataSource } from '@gyre/database';
import { JsonLogger } from '@gyre/logging';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ApiKeyService } from './api-key/api-key.service';
import { ApiKeyView, IssuedApiKey } from './api-key/api-key-view';
import { AuthError } from './errors';
import { ApiKeyScope, describeScope, Role } from './grants/grants';

const USAGE = `usage:
  npm run api-key -- create --role producer|consumer|admin --name <name> [--streams a,b | --prefix <prefix>]
  npm run api-key -- list
  npm run api-key -- rotate <id>
  npm run api-key -- revoke <id>`;

class UsageError extends Error {}

type Command = (service: ApiKeyService, args: string[], actor: string) => Promise<string>;

const COMMANDS: Record<string, Command> = {
  async create(service, args, actor) {
    const { values } = parseArgs({
      args,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        streams: { type: 'string' },
        prefix: { type: 'string' },
      },
    });
    if (!values.role || !values.name) throw new UsageError('create needs --role and --name');
    if (values.streams !== undefined && values.prefix !== undefined)
      throw new UsageError('give --streams or --prefix, not both');
    const scope: ApiKeyScope =
      values.streams !== undefined
        ? { kind: 'streams', streams: values.streams.split(',').map((stream) => stream.trim()) }
        : values.prefix !== undefined
          ? { kind: 'prefix', prefix: values.prefix }
          : { kind: 'all' };
    return issued(
      'Created',
      await service.create({ name: values.name, role: values.role as Role, scope }, actor),
    );
  },
  async list(service) {
    const keys = await service.list();
    return keys.length === 0 ? 'no API keys' : keys.map(line).join('\n');
  },
  async rotate(service, [id], actor) {
    if (!id) throw new UsageError('rotate needs the key id');
    return issued('Rotated', await service.rotate(id, actor));
  },
  async revoke(service, [id], actor) {
    if (!id) throw new UsageError('revoke needs the key id');
    return `revoked ${line(await service.revoke(id, actor))}`;
  },
};

function line(key: ApiKeyView): string {
  const state = key.revokedAt ? `revoked ${key.revokedAt}` : `last used ${key.lastUsedAt ?? 'never'}`;
  return `${key.id}  ${key.name}  ${key.role}  ${describeScope(key.scope)}  (${state})`;
}

function issued(verb: string, { key, secret }: IssuedApiKey): string {
  return [
    `${verb} API key ${key.id} "${key.name}" (${key.role}, ${describeScope(key.scope)}).`,
    'Store the key now; it is not shown again:',
    '',
    secret,
  ].join('\n');
}

async function main([command, ...args]: string[]): Promise<number> {
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadGyreConfig();
  Logger.overrideLogger(
    new JsonLogger({ level: config.log.level === 'debug' ? 'debug' : 'warn', sink: process.stderr }),
  );
  // Runs pending migrations as the API does: the first admin key may come before the API ever started.
  const dataSource = createGyreDataSource(config, { applicationName: 'gyre-api-key', migrationsRun: true });
  await dataSource.initialize();
  try {
    process.stdout.write(`${await run(new ApiKeyService(dataSource), args, actorName())}\n`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

/** Audit entries made from the CLI name the operating-system user. */
function actorName(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
      process.exit(2);
    }
    const message =
      error instanceof ConfigurationError
        ? error.message
        : error instanceof AuthError
          ? `${error.message}${error.problems.map((p) => `\n  - ${p.pointer}: ${p.detail}`).join('')}`
          : `api-key failed: ${String(error)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
