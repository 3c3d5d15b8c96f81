/** Stable codes of the replay domain; the API maps each to one problem type URI and HTTP status. */
export type ReplayErrorCode =
  | 'INVALID_REPLAY'
  | 'REPLAY_NOT_FOUND'
  | 'REPLAY_STATE_CONFLICT'
  | 'REPLAY_SOURCE_UNAVAILABLE'
  | 'REPLAY_TARGET_UNAVAILABLE'
  | 'REPLAY_EXPORT_MISMATCH'
  | 'REPLAY_STAGE_NOT_RUNNABLE'
  | 'INVALID_FEATURE_VERSION_SWITCH'
  | 'PIPELINE_NOT_FOUND'
  | 'STAGE_NOT_FOUND'
  | 'PIPELINE_VERSION_CONFLICT';

/** Where in the request a problem is (a JSON pointer such as /end/timestamp) and what it is. */
export interface ReplayProblem {
  pointer: string;
  detail: string;
}

/** Every failure of the replay domain: a stable code, whether retrying may help, and the cause. */
export class ReplayError extends Error {
  readonly retriable: boolean;
  readonly problems: ReplayProblem[];

  constructor(
    readonly code: ReplayErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; problems?: ReplayProblem[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReplayError';
    this.retriable = options.retriable ?? false;
    this.problems = options.problems ?? [];
  }
}

export function invalidReplay(problems: ReplayProblem[]): ReplayError {
  return new ReplayError('INVALID_REPLAY', 'the replay request is invalid', { problems });
}
