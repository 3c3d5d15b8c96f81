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
  { kind: 'admin' } | { kind: 'stream'; role: Exclude<Role, 'admin'>; stream: string };

/** Lets the request through or throws ROLE_FORBIDDEN / STREAM_OUT_OF_SCOPE. An admin key may do anything. */
export function authorize(key: AuthenticatedKey, requirement: AccessRequirement): void {
  if (key.role === 'admin') return;
  if (requirement.kind === 'admin')
    throw new AuthError('ROLE_FORBIDDEN', `this endpoint needs an admin key; key ${key.id} is a ${key.role}`);
  if (key.role !== requirement.role)
    throw new AuthError(
      'ROLE_FORBIDDEN',
      `this endpoint needs a ${requirement.role} key; key ${key.id} is a ${key.role}`,
    );
  if (!scopeAllows(key.scope, requirement.stream))
    throw new AuthError(
      'STREAM_OUT_OF_SCOPE',
      `key ${key.id} may not access stream "${requirement.stream}": it is outside the key's scope`,
    );
}
