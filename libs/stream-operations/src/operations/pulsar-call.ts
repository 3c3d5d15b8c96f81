import { PulsarAdminError } from '@gyre/pulsar-admin';
import { StreamsError } from '@gyre/streams';

/** Seconds an operator's tool should wait before retrying a call the broker could not take. */
export const ADMIN_RETRY_AFTER_SECONDS = 5;

/**
 * Runs a Pulsar admin call for an operator: a broker that cannot be reached or answers too slowly is
 * PULSAR_ADMIN_UNAVAILABLE (503, retriable), one that answers with an error is PULSAR_ADMIN_FAILED (502).
 * `onError` may translate specific refusals (a 409 meaning "already exists") first.
 */
export async function adminCall<T>(
  call: () => Promise<T>,
  onError?: (error: PulsarAdminError) => StreamsError | undefined,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStreamsError(error, onError);
  }
}

export function toStreamsError(
  error: unknown,
  onError?: (error: PulsarAdminError) => StreamsError | undefined,
): unknown {
  if (!(error instanceof PulsarAdminError)) return error;
  const translated = onError?.(error);
  if (translated) return translated;
  if (error.code === 'unreachable' || error.code === 'timeout')
    return new StreamsError(
      'PULSAR_ADMIN_UNAVAILABLE',
      `Pulsar's admin API is unavailable: ${error.message}`,
      {
        retriable: true,
        cause: error,
        retryAfterSeconds: ADMIN_RETRY_AFTER_SECONDS,
      },
    );
  return new StreamsError('PULSAR_ADMIN_FAILED', `Pulsar's admin API failed: ${error.message}`, {
    retriable: error.retriable,
    cause: error,
  });
}
