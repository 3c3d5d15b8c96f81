import { AuthError } from '../errors';
import { ApiKeyScope, Role, scopeAllows } from './grants';

/** The key an authenticated request carries. */
export interface AuthenticatedKey {
  id: string;
  name: string;
  role: Role;
  scope: ApiKeyScope;
}

/** What an endpoint asks of the calling key. */
export type AccessRequirement =
  | { kind: 'admin' }
  | { kind: 'stream'; role: Exclude<Role, 'admin'>; stream: string }
  // Any role may read; a stream named by the route must be in the key's scope.
  | { kind: 'read'; stream?: string };

/** Lets the request through or throws ROLE_FORBIDDEN / STREAM_OUT_OF_SCOPE. An admin key may do anything. */
export function authorize(key: AuthenticatedKey, requirement: AccessRequirement): void {
  if (key.role === 'admin') return;
  if (requirement.kind === 'read') {
    if (requirement.stream !== undefined && !scopeAllows(key.scope, requirement.stream))
      throw outOfScope(key, requirement.stream);
    return;
  }
  if (requirement.kind === 'admin')
    throw new AuthError('ROLE_FORBIDDEN', `this endpoint needs an admin key; key ${key.id} is a ${key.role}`);
  if (key.role !== requirement.role)
    throw new AuthError(
      'ROLE_FORBIDDEN',
      `this endpoint needs a ${requirement.role} key; key ${key.id} is a ${key.role}`,
    );
  if (!scopeAllows(key.scope, requirement.stream)) throw outOfScope(key, requirement.stream);
}

function outOfScope(key: AuthenticatedKey, stream: string): AuthError {
  return new AuthError(
    'STREAM_OUT_OF_SCOPE',
    `key ${key.id} may not access stream "${stream}": it is outside the key's scope`,
  );
}
