import type { PipelineError, PipelineErrorCode } from '@gyre/pipelines';
import type { FieldProblem } from '@gyre/streams';

/** One stable type URI slug, status and title per pipelines error code the admin endpoints can meet. */
export const PIPELINE_PROBLEMS: Record<PipelineErrorCode, { status: number; slug: string; title: string }> = {
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
  BATCH_RESULT_MISMATCH: { status: 500, slug: 'batch-result-mismatch', title: 'Batch result mismatch' },
  PUBLISH_FAILED: { status: 503, slug: 'publish-failed', title: 'Publishing failed' },
  STAGE_START_FAILED: { status: 503, slug: 'stage-start-failed', title: 'Stage could not start' },
};

/** A pipeline error's problems as field problems: each invalid part of a definition by its JSON pointer. */
export function pipelineFieldProblems(error: PipelineError): FieldProblem[] {
  return error.problems.map(toFieldProblem);
}

/** "/stages/0/name must be ..." -> { pointer: "/stages/0/name", detail: "must be ..." }. */
function toFieldProblem(text: string): { pointer: string; detail: string } {
  const match = /^(\/\S*) (.*)$/.exec(text);
  if (match) return { pointer: match[1], detail: match[2] };
  // The pipeline's own name is the one problem without a pointer: it is the body's (or path's) name.
  if (text.startsWith('pipeline name '))
    return { pointer: '/name', detail: text.slice('pipeline name '.length) };
  return { pointer: '', detail: text };
}
