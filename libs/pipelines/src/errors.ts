import { GyreError, GyreErrorOptions } from '@gyre/errors';

/** Stable codes of the pipelines domain; an admin API maps each to one problem type and HTTP status. */
export type PipelineErrorCode =
  | 'INVALID_PIPELINE_DEFINITION'
  | 'PIPELINE_NOT_FOUND'
  | 'PIPELINE_VERSION_CONFLICT'
  | 'HANDLER_NOT_FOUND'
  | 'HANDLER_ALREADY_REGISTERED'
  | 'MALFORMED_PAYLOAD'
  | 'UNDECLARED_OUTPUT'
  | 'BATCH_RESULT_MISMATCH'
  | 'PUBLISH_FAILED'
  | 'STAGE_START_FAILED';

/**
 * Every failure of the pipelines domain: a stable code, whether retrying may help, and the cause. An
 * INVALID_PIPELINE_DEFINITION names each part of the definition at fault in `problems`, by JSON pointer.
 */
export class PipelineError extends GyreError<PipelineErrorCode> {
  readonly domain = 'pipelines';

  constructor(code: PipelineErrorCode, message: string, options: GyreErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * What a handler throws to say how its failure should be treated. `retriable: false` sends the
 * message to the dead-letter topic at once (a bad input will not get better by trying again);
 * any other error, including a plain Error, is retried with backoff.
 */
export class HandlerError extends GyreError {
  readonly domain = 'handler';

  constructor(code: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, { ...options, retriable: options.retriable ?? true });
  }
}
