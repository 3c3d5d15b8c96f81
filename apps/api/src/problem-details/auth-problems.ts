import type { AuthErrorCode } from '@gyre/auth';
import type { ProblemEntries } from './problem-entry';

/** One stable type URI slug, status and title per auth error code. */
export const AUTH_PROBLEMS: ProblemEntries<AuthErrorCode> = {
  API_KEY_MISSING: { status: 401, slug: 'api-key-missing', title: 'API key missing' },
  API_KEY_MALFORMED: { status: 401, slug: 'api-key-malformed', title: 'API key malformed' },
  API_KEY_INVALID: { status: 401, slug: 'api-key-invalid', title: 'API key invalid' },
  API_KEY_REVOKED: { status: 401, slug: 'api-key-revoked', title: 'API key revoked' },
  ROLE_FORBIDDEN: { status: 403, slug: 'role-forbidden', title: "Not allowed for the key's role" },
  STREAM_OUT_OF_SCOPE: { status: 403, slug: 'stream-out-of-scope', title: "Stream outside the key's scope" },
  RATE_LIMITED: { status: 429, slug: 'rate-limited', title: 'Rate limit exceeded' },
  API_KEY_NOT_FOUND: { status: 404, slug: 'api-key-not-found', title: 'API key not found' },
  API_KEY_EXISTS: { status: 409, slug: 'api-key-exists', title: 'API key name taken' },
  API_KEY_NOT_ACTIVE: { status: 409, slug: 'api-key-not-active', title: 'API key revoked' },
  INVALID_API_KEY_DEFINITION: {
    status: 422,
    slug: 'invalid-api-key-definition',
    title: 'Invalid API key definition',
  },
};

/** RFC 6750's challenge for a 401: `invalid_token` unless the request carried no key at all. */
export function bearerChallenge(problemType: string): string {
  return problemType.endsWith('/api-key-missing')
    ? 'Bearer realm="gyre"'
    : 'Bearer realm="gyre", error="invalid_token"';
}
