import { ErrorProblem, GyreError, GyreErrorOptions } from '@gyre/errors';

/** Stable codes of API-key authentication, authorisation and administration; the API maps each to a problem. */
export type AuthErrorCode =
  | 'API_KEY_MISSING'
  | 'API_KEY_MALFORMED'
  | 'API_KEY_INVALID'
  | 'API_KEY_REVOKED'
  | 'ROLE_FORBIDDEN'
  | 'STREAM_OUT_OF_SCOPE'
  | 'RATE_LIMITED'
  | 'API_KEY_NOT_FOUND'
  | 'API_KEY_EXISTS'
  | 'API_KEY_NOT_ACTIVE'
  | 'INVALID_API_KEY_DEFINITION';

/** A field at fault, by JSON pointer into the request. */
export type AuthFieldProblem = ErrorProblem;

/** Every failure of the auth domain: a stable code, whether retrying may help, and the cause. */
export class AuthError extends GyreError<AuthErrorCode> {
  readonly domain = 'auth';

  constructor(code: AuthErrorCode, message: string, options: GyreErrorOptions = {}) {
    super(code, message, options);
  }
}
