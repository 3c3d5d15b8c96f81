import { AuthError, AuthFieldProblem } from '../errors';

export const ROLES = ['producer', 'consumer', 'admin'] as const;
/** producer: publishes to streams in scope; consumer: consumes from them; admin: everything, /admin included. */
export type Role = (typeof ROLES)[number];

/** Which streams a key reaches: all, the listed ones, or those whose name starts with a prefix. */
export type ApiKeyScope =
  { kind: 'all' } | { kind: 'streams'; streams: string[] } | { kind: 'prefix'; prefix: string };

/** What an operator gives to create a key. */
export interface ApiKeyDefinition {
  name: string;
  role: Role;
  scope: ApiKeyScope;
}

// The stream-name rule (lowercase letters, digits, '.', '_', '-'); a prefix must start a valid name.
const STREAM_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const MAX_SCOPE_STREAMS = 1000;

export function scopeAllows(scope: ApiKeyScope, stream: string): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'streams':
      return scope.streams.includes(stream);
    case 'prefix':
      return stream.startsWith(scope.prefix);
  }
}

export function describeScope(scope: ApiKeyScope): string {
  switch (scope.kind) {
    case 'all':
      return 'all streams';
    case 'streams':
      return `streams ${scope.streams.join(', ')}`;
    case 'prefix':
      return `streams starting with "${scope.prefix}"`;
  }
}

/** Checks a key definition the HTTP edge may not have (the CLI calls the service directly). */
export function checkDefinition(definition: ApiKeyDefinition): void {
  const problems: AuthFieldProblem[] = [];
  const name = definition.name?.trim() ?? '';
  if (name.length < 1 || name.length > 200)
    problems.push({ pointer: '/name', detail: 'must be 1-200 characters, not blank' });
  if (!(ROLES as readonly string[]).includes(definition.role))
    problems.push({ pointer: '/role', detail: `must be one of ${ROLES.join(', ')}` });
  problems.push(...scopeProblems(definition.scope));
  // An admin reaches every stream anyway: a narrower scope would only mislead whoever reads the key list.
  if (definition.role === 'admin' && definition.scope?.kind !== 'all')
    problems.push({ pointer: '/scope', detail: 'an admin key must have scope "all"' });
  if (problems.length > 0)
    throw new AuthError('INVALID_API_KEY_DEFINITION', 'the API key definition is invalid', { problems });
}

function scopeProblems(scope: ApiKeyScope | undefined): AuthFieldProblem[] {
  const nameRule = "lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";
  switch (scope?.kind) {
    case 'all':
      return [];
    case 'streams': {
      const { streams } = scope;
      if (!Array.isArray(streams) || streams.length < 1 || streams.length > MAX_SCOPE_STREAMS)
        return [{ pointer: '/scope/streams', detail: `must list 1-${MAX_SCOPE_STREAMS} streams` }];
      return streams.flatMap((stream, index) =>
        typeof stream === 'string' && STREAM_NAME.test(stream)
          ? []
          : [{ pointer: `/scope/streams/${index}`, detail: `must be a stream name: ${nameRule}` }],
      );
    }
    case 'prefix':
      return typeof scope.prefix === 'string' && STREAM_NAME.test(scope.prefix)
        ? []
        : [{ pointer: '/scope/prefix', detail: `must be 1-100 ${nameRule}` }];
    default:
      return [{ pointer: '/scope/kind', detail: 'must be one of all, streams, prefix' }];
  }
}
