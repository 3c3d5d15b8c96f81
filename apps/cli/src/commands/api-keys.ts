import { Command, CommandContext, requiredOption, stringOption } from '../command';
import { EXIT } from '../cli-io';
import { UsageError } from '../errors';
import { formatTable } from '../format';

type Scope = { kind: 'all' } | { kind: 'streams'; streams: string[] } | { kind: 'prefix'; prefix: string };

interface ApiKeyView {
  id: string;
  name: string;
  role: string;
  scope: Scope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function scopeOf(values: { streams?: string; prefix?: string }): Scope | undefined {
  if (values.streams !== undefined && values.prefix !== undefined)
    throw new UsageError('give --streams or --prefix, not both');
  if (values.streams !== undefined) {
    const streams = values.streams
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (streams.length === 0) throw new UsageError('--streams needs at least one stream name');
    return { kind: 'streams', streams };
  }
  if (values.prefix !== undefined) return { kind: 'prefix', prefix: values.prefix };
  return undefined;
}

function scopeText(scope: Scope): string {
  if (scope.kind === 'streams') return `streams ${scope.streams.join(',')}`;
  if (scope.kind === 'prefix') return `prefix ${scope.prefix}`;
  return 'all';
}

export const apiKeyCreateCommand: Command = {
  words: ['api-key', 'create'],
  args: [],
  summary: 'Create an API key (admin key); its secret is printed once, on standard output.',
  options: {
    name: { type: 'string', value: 'name', help: 'unique among live keys (required)' },
    role: { type: 'string', value: 'producer|consumer|admin', help: 'what the key may do (required)' },
    streams: { type: 'string', value: 'a,b', help: 'scope: these streams only' },
    prefix: { type: 'string', value: 'p', help: 'scope: streams whose name starts with p' },
  },
  async run({ io, values, api, json }: CommandContext): Promise<number> {
    const body: Record<string, unknown> = {
      name: requiredOption(values, 'name'),
      role: requiredOption(values, 'role'),
    };
    const scope = scopeOf({
      streams: stringOption(values, 'streams'),
      prefix: stringOption(values, 'prefix'),
    });
    if (scope) body.scope = scope;
    const key = await api().post<ApiKeyView & { secret: string }>('/admin/api-keys', body);
    if (json) io.stdout.write(`${JSON.stringify(key)}\n`);
    else {
      io.stderr.write(
        `created ${key.role} key ${key.id} (${key.name}, scope ${scopeText(key.scope)}); the secret is shown only now:\n`,
      );
      io.stdout.write(`${key.secret}\n`);
    }
    return EXIT.ok;
  },
};

export const apiKeyListCommand: Command = {
  words: ['api-key', 'list'],
  args: [],
  summary: 'List API keys, revoked ones included, never their secrets (admin key).',
  options: {},
  async run({ io, api, json }: CommandContext): Promise<number> {
    const keys = await api().get<ApiKeyView[]>('/admin/api-keys');
    io.stdout.write(
      json
        ? `${JSON.stringify(keys)}\n`
        : formatTable(
            ['id', 'name', 'role', 'scope', 'created', 'last used', 'revoked'],
            keys.map((k) => [
              k.id,
              k.name,
              k.role,
              scopeText(k.scope),
              k.createdAt,
              k.lastUsedAt ?? '-',
              k.revokedAt ?? '-',
            ]),
          ),
    );
    return EXIT.ok;
  },
};

export const apiKeyRevokeCommand: Command = {
  words: ['api-key', 'revoke'],
  args: ['<id>'],
  summary: 'Revoke an API key for good (admin key); revoking it again changes nothing.',
  options: {},
  async run({ io, positionals, api }: CommandContext): Promise<number> {
    await api().delete(`/admin/api-keys/${encodeURIComponent(positionals[0])}`);
    io.stdout.write(`revoked ${positionals[0]}\n`);
    return EXIT.ok;
  },
};
