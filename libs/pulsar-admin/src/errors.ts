import { GyreError } from '@gyre/errors';

export type PulsarAdminErrorCode =
  'unreachable' | 'not-found' | 'conflict' | 'rejected' | 'server-error' | 'timeout';

/** A failed call to Pulsar's admin REST API, with what was asked and what the broker said. */
export class PulsarAdminError extends GyreError<PulsarAdminErrorCode> {
  readonly domain = 'pulsar-admin';

  constructor(
    code: PulsarAdminErrorCode,
    readonly method: string,
    readonly path: string,
    readonly status?: number,
    readonly brokerReason?: string,
    options?: { cause?: unknown },
  ) {
    super(
      code,
      `Pulsar admin ${method} ${path} failed: ${code}${status ? ` (HTTP ${status})` : ''}${brokerReason ? `: ${brokerReason}` : ''}`,
      {
        cause: options?.cause,
        retriable: code === 'unreachable' || code === 'server-error' || code === 'timeout',
      },
    );
  }
}

export function errorCodeForStatus(status: number): PulsarAdminErrorCode {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server-error';
  return 'rejected';
}
