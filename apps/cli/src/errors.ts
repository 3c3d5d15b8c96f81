/** Bad arguments or settings: the command's usage is printed with it, and the exit code is 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An RFC 9457 problem document, as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ pointer?: string; detail?: string }>;
  retryAfterSeconds?: number;
}

/** The API answered with an error status; `problem` is its body (or what could be made of it). */
export class ApiProblemError extends Error {
  override readonly name = 'ApiProblemError';

  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(problemLine(status, problem));
  }

  /** The last segment of the problem's type URI, e.g. `api-key-invalid`. */
  get code(): string {
    return this.problem.type?.split('/').pop() || `http-${this.status}`;
  }

  /** Worth retrying the same request after Retry-After: the API was busy, not the request wrong. */
  get retriable(): boolean {
    return this.status === 503 || this.status === 429 || this.code === 'idempotency-key-in-progress';
  }
}

/** The API could not be reached (refused, reset, DNS, timeout). */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
}

/** The one line a failed call prints: status, problem type, title, detail and the first field errors. */
export function problemLine(status: number, problem: Problem): string {
  const code = problem.type?.split('/').pop();
  const head = `${status}${code ? ` ${code}` : ''}`;
  const text = [problem.title, problem.detail].filter(Boolean).join(': ') || 'request failed';
  const errors = problem.errors ?? [];
  const fields = errors.slice(0, 3).map((error) => `${error.pointer ?? ''} ${error.detail ?? ''}`.trim());
  const more = errors.length > 3 ? ` (+${errors.length - 3} more)` : '';
  return `${head}: ${text}${fields.length > 0 ? ` [${fields.join('; ')}${more}]` : ''}`;
}
