import { ErrorProblem, GyreError, GyreErrorOptions } from '@gyre/errors';

/**
 * Stable codes of the replay domain; the API maps each to one problem type URI and HTTP status. A missing or
 * changed pipeline is the pipelines domain's PipelineError (PIPELINE_NOT_FOUND, PIPELINE_VERSION_CONFLICT).
 */
export type ReplayErrorCode =
  | 'INVALID_REPLAY'
  | 'REPLAY_NOT_FOUND'
  | 'REPLAY_STATE_CONFLICT'
  | 'REPLAY_SOURCE_UNAVAILABLE'
  | 'REPLAY_TARGET_UNAVAILABLE'
  | 'REPLAY_EXPORT_MISMATCH'
  | 'REPLAY_STAGE_NOT_RUNNABLE'
  | 'INVALID_FEATURE_VERSION_SWITCH'
  | 'STAGE_NOT_FOUND';

/** Where in the request a problem is (a JSON pointer such as /end/timestamp) and what it is. */
export type ReplayProblem = ErrorProblem;

/** Every failure of the replay domain: a stable code, whether retrying may help, and the cause. */
export class ReplayError extends GyreError<ReplayErrorCode> {
  readonly domain = 'replay';

  constructor(code: ReplayErrorCode, message: string, options: GyreErrorOptions = {}) {
    super(code, message, options);
  }
}

export function invalidReplay(problems: ReplayProblem[]): ReplayError {
  return new ReplayError('INVALID_REPLAY', 'the replay request is invalid', { problems });
}
