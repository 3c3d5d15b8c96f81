/** Stable codes callers can branch on; `retriable` says whether trying again may succeed. */
export type PulsarErrorCode =
  | 'CONNECTION_CLOSED'
  | 'CONNECTION_FAILED'
  | 'TLS_ERROR'
  | 'PROTOCOL_ERROR'
  | 'CHECKSUM_MISMATCH'
  | 'FRAME_TOO_LARGE'
  | 'TIMEOUT'
  | 'SEND_TIMEOUT'
  | 'MESSAGE_TOO_LARGE'
  | 'PRODUCER_QUEUE_FULL'
  | 'ALREADY_CLOSED'
  | 'LOOKUP_FAILED'
  | 'TOO_MANY_REDIRECTS'
  | 'BROKER_ERROR'
  | 'INVALID_ARGUMENT'
  | 'COMPRESSION_ERROR'
  | 'NOT_SUPPORTED'
  | 'TRANSACTION_FAILED';

export interface PulsarErrorOptions {
  retriable?: boolean;
  cause?: unknown;
}

/**
 * The official client's result name for each code (its C++ engine's `Result` strings): messages start with
 * it, because applications ported from pulsar-client match them (`/TimeOut/`, `/AlreadyClosed/`).
 */
export const OFFICIAL_RESULT_NAMES: Partial<Record<PulsarErrorCode, string>> = {
  CONNECTION_CLOSED: 'Disconnected',
  CONNECTION_FAILED: 'ConnectError',
  TLS_ERROR: 'ConnectError',
  PROTOCOL_ERROR: 'ReadError',
  CHECKSUM_MISMATCH: 'ChecksumError',
  FRAME_TOO_LARGE: 'ReadError',
  TIMEOUT: 'TimeOut',
  SEND_TIMEOUT: 'TimeOut',
  MESSAGE_TOO_LARGE: 'MessageTooBig',
  PRODUCER_QUEUE_FULL: 'ProducerQueueIsFull',
  ALREADY_CLOSED: 'AlreadyClosed',
  LOOKUP_FAILED: 'LookupError',
  TOO_MANY_REDIRECTS: 'TooManyLookupRequestException',
  INVALID_ARGUMENT: 'InvalidConfiguration',
  COMPRESSION_ERROR: 'InvalidMessage',
  NOT_SUPPORTED: 'OperationNotSupported',
};

export class PulsarClientError extends Error {
  readonly code: PulsarErrorCode;
  readonly retriable: boolean;

  constructor(code: PulsarErrorCode, message: string, options: PulsarErrorOptions = {}) {
    const result = OFFICIAL_RESULT_NAMES[code];
    super(
      result && !message.startsWith(result) ? `${result}: ${message}` : message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** The connection went away (or could not be opened); the operation may succeed on a new one. */
export class ConnectionError extends PulsarClientError {
  constructor(code: 'CONNECTION_CLOSED' | 'CONNECTION_FAILED', message: string, cause?: unknown) {
    super(code, message, { retriable: true, cause });
  }
}

/**
 * The TLS handshake failed: the broker's certificate is not trusted, does not match its host name, has
 * expired, or the two sides share no protocol. Retrying with the same settings cannot succeed.
 */
export class TlsError extends PulsarClientError {
  constructor(message: string, cause?: unknown) {
    super('TLS_ERROR', message, { retriable: false, cause });
  }
}

/** Bytes on the wire that do not parse as Pulsar frames: the connection is closed with this error. */
export class ProtocolError extends PulsarClientError {
  constructor(
    code: 'PROTOCOL_ERROR' | 'CHECKSUM_MISMATCH' | 'FRAME_TOO_LARGE' | 'COMPRESSION_ERROR',
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { retriable: true, cause });
  }
}

export class TimeoutError extends PulsarClientError {
  constructor(code: 'TIMEOUT' | 'SEND_TIMEOUT', message: string) {
    super(code, message, { retriable: true });
  }
}

/** Server errors after which retrying the same request cannot succeed. */
const NON_RETRIABLE_SERVER_ERRORS = new Set([
  'AuthenticationError',
  'AuthorizationError',
  'ConsumerBusy',
  'ChecksumError',
  'UnsupportedVersionError',
  'TopicNotFound',
  'SubscriptionNotFound',
  'TopicTerminatedError',
  'InvalidTopicName',
  'IncompatibleSchema',
  'ConsumerAssignError',
  'NotAllowedError',
  'ProducerFenced',
  'ProducerBusy',
]);

/** An ERROR, SEND_ERROR or failed response from the broker; `serverError` is the protocol's name. */
export class BrokerError extends PulsarClientError {
  readonly serverError: string;

  constructor(serverError: string, message: string) {
    super('BROKER_ERROR', `${serverError}: ${message}`, {
      retriable: !NON_RETRIABLE_SERVER_ERRORS.has(serverError),
    });
    this.serverError = serverError;
  }
}

export class MessageTooLargeError extends PulsarClientError {
  constructor(size: number, maxSize: number) {
    super(
      'MESSAGE_TOO_LARGE',
      `message of ${size} bytes exceeds the maximum message size of ${maxSize} bytes`,
    );
  }
}

export class AlreadyClosedError extends PulsarClientError {
  constructor(what: string) {
    super('ALREADY_CLOSED', `${what} is closed`);
  }
}

export class InvalidArgumentError extends PulsarClientError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** Server errors after which the same transaction step may succeed when tried again. */
const RETRIABLE_TRANSACTION_ERRORS = new Set([
  'TransactionCoordinatorNotFound',
  'ServiceNotReady',
  'TooManyRequests',
  'MetadataError',
  'PersistenceError',
  'UnknownError',
]);

/**
 * A transaction could not be opened, extended, committed or aborted. `serverError` is the coordinator's
 * or broker's reason when it gave one; after a failed commit the transaction is aborted (or times out).
 */
export class TransactionError extends PulsarClientError {
  readonly serverError?: string;

  constructor(message: string, options: { serverError?: string; retriable?: boolean; cause?: unknown } = {}) {
    super('TRANSACTION_FAILED', options.serverError ? `${message}: ${options.serverError}` : message, {
      retriable:
        options.retriable ??
        (options.serverError !== undefined && RETRIABLE_TRANSACTION_ERRORS.has(options.serverError)),
      cause: options.cause,
    });
    this.serverError = options.serverError;
  }
}

export function isRetriable(error: unknown): boolean {
  return error instanceof PulsarClientError && error.retriable;
}
