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

/** Every failure of the pipelines domain: a stable code, whether retrying may help, and the cause. */
export class PipelineError extends Error {
  readonly retriable: boolean;
  /** For INVALID_PIPELINE_DEFINITION: one line per problem, each naming its JSON pointer. */
  readonly problems: string[];

  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; problems?: string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PipelineError';
    this.retriable = options.retriable ?? false;
    this.problems = options.problems ?? [];
  }
}

/**
 * What a handler throws to say how its failure should be treated. `retriable: false` sends the
 * message to the dead-letter topic at once (a bad input will not get better by trying again);
 * any other error, including a plain Error, is retried with backoff.
 */
export class HandlerError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly code: string,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HandlerError';
    this.retriable = options.retriable ?? true;
  }
}
