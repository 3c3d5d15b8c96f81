import type { PipelineErrorCode } from '@gyre/pipelines';
import type { ProblemEntries } from './problem-entry';

/** One stable type URI slug, status and title per pipelines error code the admin endpoints can meet. */
export const PIPELINE_PROBLEMS: ProblemEntries<PipelineErrorCode> = {
  INVALID_PIPELINE_DEFINITION: {
    status: 422,
    slug: 'invalid-pipeline-definition',
    title: 'Invalid pipeline definition',
  },
  PIPELINE_NOT_FOUND: { status: 404, slug: 'pipeline-not-found', title: 'Pipeline not found' },
  PIPELINE_VERSION_CONFLICT: {
    status: 409,
    slug: 'pipeline-version-conflict',
    title: 'Pipeline changed since it was read',
  },
  // The rest are raised inside workers, never by an admin request; listed so every code has a type.
  HANDLER_NOT_FOUND: { status: 422, slug: 'handler-not-found', title: 'Handler not registered' },
  HANDLER_ALREADY_REGISTERED: { status: 409, slug: 'handler-already-registered', title: 'Handler exists' },
  MALFORMED_PAYLOAD: { status: 400, slug: 'malformed-payload', title: 'Malformed payload' },
  UNDECLARED_OUTPUT: { status: 422, slug: 'undeclared-output', title: 'Undeclared output stream' },
  // A handler answering a batch with the wrong number of results is a bug in that handler.
  BATCH_RESULT_MISMATCH: { status: 500, slug: 'batch-result-mismatch', title: 'Batch result mismatch' },
  PUBLISH_FAILED: { status: 503, slug: 'publish-failed', title: 'Publishing failed' },
  STAGE_START_FAILED: { status: 503, slug: 'stage-start-failed', title: 'Stage could not start' },
};
