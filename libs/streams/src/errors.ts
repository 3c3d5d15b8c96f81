import { ErrorProblem, GyreError, GyreErrorOptions } from '@gyre/errors';

/** Stable codes of the streams domain; the API maps each to one problem type URI and HTTP status. */
export type StreamsErrorCode =
  | 'STREAM_NOT_FOUND'
  | 'STREAM_EXISTS'
  | 'INVALID_STREAM_DEFINITION'
  | 'INVALID_SCHEMA'
  | 'INCOMPATIBLE_SCHEMA'
  | 'DELETE_NOT_CONFIRMED'
  | 'MALFORMED_EVENTS'
  | 'INVALID_EVENTS'
  | 'EVENT_TOO_LARGE'
  | 'PAYLOAD_TOO_DEEP'
  | 'REQUEST_TOO_LARGE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_PROGRESS'
  | 'PUBLISH_UNAVAILABLE'
  | 'PULSAR_ADMIN_FAILED'
  | 'PULSAR_ADMIN_UNAVAILABLE'
  | 'INVALID_MESSAGE_ID'
  | 'INVALID_TIMESTAMP'
  | 'SUBSCRIPTION_NOT_FOUND'
  | 'SUBSCRIPTION_EXISTS'
  | 'DEAD_LETTER_TOPIC_NOT_FOUND'
  | 'OPERATION_NOT_CONFIRMED'
  | 'OFFLOAD_IN_PROGRESS'
  | 'INVALID_POLICY'
  | 'TIERED_STORAGE_UNAVAILABLE'
  | 'INVALID_SUBSCRIPTION'
  | 'INVALID_LEASE_TOKEN'
  | 'LEASE_EXPIRED'
  | 'LEASE_LIMIT_REACHED'
  | 'SUBSCRIPTION_SETTINGS_CONFLICT'
  | 'CONSUME_UNAVAILABLE';

/** Where in the request a problem is (a JSON pointer such as /events/3/payload/amount) and what it is. */
export type FieldProblem = ErrorProblem;

/** Every failure of the streams domain: a stable code, whether retrying may help, and the cause. */
export class StreamsError extends GyreError<StreamsErrorCode> {
  readonly domain = 'streams';

  constructor(code: StreamsErrorCode, message: string, options: GyreErrorOptions = {}) {
    super(code, message, options);
  }
}

export function streamNotFound(stream: string): StreamsError {
  return new StreamsError('STREAM_NOT_FOUND', `stream "${stream}" does not exist`);
}
