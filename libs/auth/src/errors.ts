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
export interface AuthFieldProblem {
  pointer: string;
  detail: string;
}

/** Every failure of the auth domain: a stable code, whether retrying may help, and the cause. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly options: {
      retriable?: boolean;
      cause?: unknown;
      problems?: AuthFieldProblem[];
      /** Seconds after which a retry may succeed (rate limited). */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthError';
  }

  get retriable(): boolean {
    return this.options.retriable ?? false;
  }

  get problems(): AuthFieldProblem[] {
    return this.options.problems ?? [];
  }

  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }
}
