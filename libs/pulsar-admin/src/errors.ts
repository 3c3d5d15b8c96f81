/** A failed call to Pulsar's admin REST API, with what was asked and what the broker said. */
export class PulsarAdminError extends Error {
  override readonly name = 'PulsarAdminError';
  readonly retriable: boolean;

  constructor(
    readonly code: 'unreachable' | 'not-found' | 'conflict' | 'rejected' | 'server-error' | 'timeout',
    readonly method: string,
    readonly path: string,
    readonly status?: number,
    readonly brokerReason?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Pulsar admin ${method} ${path} failed: ${code}${status ? ` (HTTP ${status})` : ''}${brokerReason ? `: ${brokerReason}` : ''}`,
      options,
    );
    this.retriable = code === 'unreachable' || code === 'server-error' || code === 'timeout';
  }
}

export function errorCodeForStatus(status: number): PulsarAdminError['code'] {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server-error';
  return 'rejected';
}
