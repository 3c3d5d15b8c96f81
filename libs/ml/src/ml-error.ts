import { GyreError } from '@gyre/errors';
import type { GyreErrorOptions } from '@gyre/errors';

/** Stable codes of the ML domain; callers branch on them, never on messages. */
export type MlErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_FEATURE_STATE'
  | 'UNKNOWN_FEATURE'
  | 'UNKNOWN_FEATURE_DEFINITION'
  | 'FEATURE_DEFINITION_MISMATCH'
  | 'INVALID_TRAINING_DATA'
  | 'INVALID_ARTIFACT'
  | 'UNSUPPORTED_ARTIFACT_FORMAT'
  | 'ARTIFACT_CHECKSUM_MISMATCH'
  | 'INFERENCE_TIMEOUT'
  | 'INFERENCE_UNAVAILABLE'
  | 'INFERENCE_REJECTED'
  | 'INFERENCE_PROTOCOL_ERROR'
  | 'INVALID_MONITORING_THRESHOLDS'
  | 'INVALID_LOOP_QUERY'
  | 'UNKNOWN_MODEL_VERSION'
  | 'MODEL_ROLE_CONFLICT';

const RETRIABLE: ReadonlySet<MlErrorCode> = new Set(['INFERENCE_TIMEOUT', 'INFERENCE_UNAVAILABLE']);

/** Every failure of @gyre/ml: a stable code, whether a retry can help, and the cause. */
export class MlError extends GyreError<MlErrorCode> {
  readonly domain = 'ml';

  constructor(
    code: MlErrorCode,
    message: string,
    options: Pick<GyreErrorOptions, 'retriable' | 'cause' | 'problems'> = {},
  ) {
    super(code, message, { ...options, retriable: options.retriable ?? RETRIABLE.has(code) });
  }
}
